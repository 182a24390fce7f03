"""Child process of the multicast discovery test; run inside ``unshare -rn`` only.

In a fresh network namespace loopback is the only interface, so a multicast Probe to
239.255.255.250:3702 cannot leave this process's private network. Prints one JSON line.
"""

from __future__ import annotations

import json
import subprocess

from commandroom.onvif import OnvifService
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator

PORT = 3702


def main() -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "route", "add", "224.0.0.0/4", "dev", "lo"], check=True)
    with OnvifEmulator(EmulatorSettings(multicast_port=PORT, model="MC-CAM-1")) as emu, \
            OnvifService(timeout_s=3.0) as service:
        found = service.discover("", multicast=True, wait_s=1.5, port=PORT,
                                 multicast_interface="127.0.0.1").result(15)
        print(json.dumps({"found": [(d.model, d.address) for d in found],
                          "emulator_port": emu.port}))


if __name__ == "__main__":
    main()
