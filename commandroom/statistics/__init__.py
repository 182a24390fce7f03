"""Statistics of the station (issue 17): sightings per junction and day, alerts per team
and category, times to acknowledge and to resolve, outcomes, and this month against last
month and the same month last year. Portable SQL over the incidents', alerts' and
sightings' tables: it reads them all, so it sits above those features."""

from commandroom.statistics.records import (
    ACK_BUCKETS,
    RESOLUTION_BUCKETS,
    Change,
    Distribution,
    JunctionDay,
    Metric,
    MonthComparison,
    OutcomeCount,
    Period,
    TeamAck,
    TeamCategory,
    Trend,
)
from commandroom.statistics.service import StatisticsService

__all__ = ["ACK_BUCKETS", "RESOLUTION_BUCKETS", "Change", "Distribution", "JunctionDay",
           "Metric", "MonthComparison", "OutcomeCount", "Period", "StatisticsService",
           "TeamAck", "TeamCategory", "Trend"]
