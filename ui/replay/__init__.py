"""Looking back on the console: replay on the tiles, the timeline under the grid."""
