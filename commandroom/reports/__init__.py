"""Reports (issue 17): the incident report and the monthly report as PDF, in Chinese or
English, the CJK font embedded, from the same services the incident and statistics
screens read. Above incidents and statistics (it reads both)."""

from commandroom.reports.service import ReportService, ReportWritten
from commandroom.reports.words import Lang, Words

__all__ = ["Lang", "ReportService", "ReportWritten", "Words"]
