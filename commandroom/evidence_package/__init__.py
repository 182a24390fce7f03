"""Evidence packages: what a case file takes away, signed and checkable (issue 17).

One ZIP holds the original files (sighting snapshots and clips, footage cut from the
recordings without re-encoding), the extraction record PDF (提取笔录 / 固定清单), and a
``manifest.json`` with the SHA-256 of every file, signed with the station's Ed25519 key
(its public key travels in the package). ``verify`` checks it anywhere and names what
changed.
"""
