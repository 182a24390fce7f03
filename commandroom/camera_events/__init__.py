"""Events the cameras report themselves (motion, line crossing, intrusion, tamper, plate
reads) and what the console makes of them: stored events, plate reads matched against the
vehicle watch list, and suggested sightings the officer confirms or dismisses.

``model`` holds the shapes every part shares: the event a protocol client hands over, the
client protocol the intake runs, the views and domain events the UI reads. The protocol
clients (ONVIF PullPoint, Hikvision ISAPI alertStream, Dahua eventManager, local motion)
know nothing of storage; the intake stores, counts and publishes what they hand over.
"""
