"""Recording at the console: settings, export, the status-bar warning."""
