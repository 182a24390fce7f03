"""commandroom core: domain, storage, video engine, ONVIF, alerts. Never imports Qt."""

__version__ = "0.1.0"
