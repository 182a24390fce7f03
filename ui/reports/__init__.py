"""Writing the incident and monthly reports (PDF) from the incident timeline and the
statistics windows: the file chooser, the work off the GUI thread, the words."""
