"""Imports every model module so that ``Base.metadata`` knows all tables: for Alembic's
environment (``env.py``), the ``db check`` command and the schema tests.

It lives beside the migrations, not in ``commandroom.db`` proper: the migrations are the
history of the whole schema and sit above every feature, while ``commandroom.db`` (engine,
base, thread guard) is a leaf every feature builds on. Each feature keeps its models beside
its code; add one import line here per module.
"""

from commandroom.alerts import models as alert_models  # noqa: F401
from commandroom.audit import trail as audit_models  # noqa: F401
from commandroom.auth import models as operator_models  # noqa: F401
from commandroom.camera_events import records as camera_event_models  # noqa: F401
from commandroom.cameras import models as camera_models  # noqa: F401
from commandroom.incidents import models as incident_models  # noqa: F401
from commandroom.playback import models as playback_models  # noqa: F401
from commandroom.recording import models as recording_models  # noqa: F401
from commandroom.secrets import store as secret_models  # noqa: F401
from commandroom.sightings import models as sighting_models  # noqa: F401
from commandroom.watchlist import models as watchlist_models  # noqa: F401
