"""The composition root: ``Core`` builds, starts and stops every service of the core."""

from commandroom.runtime.alerting import Alerting
from commandroom.runtime.core import PARTS, Core, CoreStopped, open_core
from commandroom.runtime.hooks import CoreHooks
from commandroom.runtime.instance_lock import DataFolderInUse

__all__ = ["PARTS", "Alerting", "Core", "CoreHooks", "CoreStopped", "DataFolderInUse",
           "open_core"]
