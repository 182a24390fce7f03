"""ONVIF in the console: discovery, add-camera wizard, PTZ pad, camera properties."""
