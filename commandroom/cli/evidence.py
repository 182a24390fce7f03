"""``commandroom evidence export|verify|key``: evidence packages for a case file.

``verify`` needs nothing of the station: it reads the ZIP alone, so a court, a prosecutor
or another station can run it; the station's published fingerprint (``evidence key``),
given with ``--key``, tells a package re-signed with another key apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commandroom.cli import CliError, CommandRun, _parse_time, arg, subcommand
from commandroom.evidence_package.service import (
    FootageRange,
    PackageError,
    PackageProblem,
    PackageRequest,
)
from commandroom.evidence_package.verify import Finding, Problem, verify_package
from commandroom.recording.export import ExportError

_PROBLEM_TEXT = {
    PackageProblem.NO_CASE: "give a case number (--case), at most 64 characters",
    PackageProblem.NOTHING: "nothing to package: give --sighting ID and/or --camera/--from/--to",
    PackageProblem.NO_SIGHTING: "there is no sighting {detail}",
    PackageProblem.CLIP_PENDING: "the clip of sighting {detail} is still being cut; "
                                 "try again in a few seconds",
    PackageProblem.SOURCE_ALTERED: "the {detail} no longer matches the SHA-256 recorded "
                                   "when it was made; it is not packaged",
}

_FINDING_TEXT = {
    Finding.UNREADABLE: "UNREADABLE: {file}: not a readable ZIP ({detail})",
    Finding.NO_MANIFEST: "MISSING: {file}: the package has no manifest",
    Finding.NO_SIGNATURE: "MISSING: {file}: the manifest's signature is not in the package",
    Finding.NO_KEY: "MISSING: {file}: no Ed25519 public key in the package",
    Finding.SIGNATURE_INVALID: "SIGNATURE INVALID: {file} was changed after signing, or "
                               "the signature is not from this key",
    Finding.KEY_MISMATCH: "WRONG KEY: {file} is not the key the manifest names ({detail})",
    Finding.KEY_NOT_EXPECTED: "WRONG KEY: {file} is not the station's key ({detail})",
    Finding.BAD_MANIFEST: "UNREADABLE: {file} is not an evidence package manifest",
    Finding.MISSING: "MISSING: {file}: listed in the manifest, not in the package",
    Finding.HASH_DIFFERS: "CHANGED: {file}: SHA-256 differs from the manifest ({detail})",
    Finding.SIZE_DIFFERS: "CHANGED: {file}: size differs from the manifest ({detail})",
    Finding.NOT_IN_MANIFEST: "NOT IN MANIFEST: {file}: in the package, not listed",
}


def problem_line(problem: Problem) -> str:
    return _FINDING_TEXT[problem.finding].format(file=problem.file, detail=problem.detail)


def _footage(args: argparse.Namespace) -> tuple[FootageRange, ...]:
    cameras, starts, ends = args.camera or [], args.start or [], args.end or []
    if not len(cameras) == len(starts) == len(ends):
        raise CliError("each --camera needs its own --from and --to; nothing written")
    ranges = tuple(FootageRange(c, s, e) for c, s, e in zip(cameras, starts, ends, strict=True))
    for footage in ranges:
        if footage.end <= footage.start:
            raise CliError(f"camera {footage.camera_id}: --to must be after --from; "
                           "nothing written")
    return ranges


@subcommand(
    "evidence export",
    "write a signed evidence package (ZIP) of sightings and recorded footage for a case",
    arg("--case", required=True, help="the case or incident number"),
    arg("--sighting", type=int, nargs="+", action="extend", metavar="ID",
        help="sightings whose snapshot and clip go in"),
    arg("--camera", type=int, action="append", metavar="ID",
        help="recorded footage of this camera (with --from and --to; repeatable)"),
    arg("--from", dest="start", type=_parse_time, action="append", metavar="TIME"),
    arg("--to", dest="end", type=_parse_time, action="append", metavar="TIME"),
    arg("--place", default="", help="place of extraction, printed on the record"),
    arg("--out", type=Path, default=None,
        help="folder for the ZIP (default: packages/ in the data folder)"),
)
def evidence_export(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Copies the originals byte for byte (footage cut without re-encoding), adds the
    extraction record PDF and a manifest signed with the station's key, and locks all of
    it against retention. The export is in the audit trail with the case number."""
    request = PackageRequest(args.case, args.out or cmd.paths.data_dir / "packages",
                             tuple(args.sighting or ()), _footage(args), args.place)
    try:
        result = cmd.core.evidence_packages.export(cmd.actor, request)
    except PackageError as exc:
        raise CliError(_PROBLEM_TEXT[exc.problem].format(detail=exc.detail)) from exc
    except ExportError as exc:
        raise CliError(f"the footage could not be cut ({exc}); nothing written") from exc
    cmd.print(f"package: {result.path}")
    cmd.print(f"case: {args.case.strip()}   package id: {result.package_id}")
    cmd.print(f"files: {len(result.items)} (manifest and signature besides)")
    cmd.print(f"SHA-256 of the ZIP: {result.sha256}")
    cmd.print(f"signed with the station key {result.key_fingerprint}")
    return 0


@subcommand(
    "evidence verify",
    "check an evidence package's signature and every file's SHA-256; name what changed",
    arg("package", type=Path),
    arg("--key", default=None, metavar="FINGERPRINT",
        help="the station's published key fingerprint (see 'evidence key')"),
)
def evidence_verify(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Exit 0: signature valid and every file as listed; 1: something changed (named)."""
    if not args.package.is_file():
        raise CliError(f"{args.package} is not a file")
    report = verify_package(args.package, args.key)
    cmd.print(f"package: {args.package.name}")
    if report.case_number or report.package_id:
        cmd.print(f"case: {report.case_number}   package id: {report.package_id}   "
                  f"made: {report.created_beijing} (Beijing time)"
                  + ("" if report.signature_ok else "   [as the manifest says: not signed]"))
    if report.key_fingerprint:
        cmd.print(f"signing key: Ed25519 {report.key_fingerprint}"
                  + (" (the expected key)" if args.key and not any(
                      p.finding == Finding.KEY_NOT_EXPECTED for p in report.problems)
                     else "" if args.key else "; compare it with the station's published one"))
    cmd.print(f"signature: {'valid' if report.signature_ok else 'INVALID'}")
    cmd.print(f"files checked: {report.files_checked} "
              f"({report.bytes_checked / 1e6:.1f} MB)")
    for problem in report.problems:
        cmd.print(problem_line(problem))
    if report.ok:
        cmd.print("VERIFIED: the signature is valid and every file matches the manifest")
        return 0
    cmd.print(f"TAMPERED: {len(report.problems)} problem(s) found")
    return 1


@subcommand("evidence key", "print the station's evidence-signing key fingerprint")
def evidence_key(cmd: CommandRun, args: argparse.Namespace) -> int:
    """The fingerprint to publish (made with the first package if there is none yet)."""
    cmd.print(cmd.core.evidence_packages.station_fingerprint())
    return 0
