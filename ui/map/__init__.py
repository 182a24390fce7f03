"""The area map: trajectories of an entry across junctions, and the camera placement editor."""
