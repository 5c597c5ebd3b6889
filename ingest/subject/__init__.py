"""The subject region of a plan (the region it is the plan of) and the year the plan is for.

:func:`find_subject` (:mod:`ingest.subject.region`, zones in :mod:`ingest.subject.zone`) reads
what the document states — a zone in its title, its title, congress line, "我代表…人民政府",
signature and issuer, at the level it calls itself by — before it lets the body's mentions vote;
:func:`find_year` (:mod:`ingest.subject.year`) reads the title, the meeting date and the report's
structure before the body's years. Divisions are today's (the Ministry of Civil Affairs' table of
year-end 2025); a division named by its name of the time (徐水县) keeps that name and gets
today's code.

Examples
--------
>>> s = find_subject("2026年重庆市政府工作报告", "——在重庆市第六届人民代表大会第四次会议上\\n全市…")
>>> (s.name, s.kind, s.province, s.city), find_year("2026年重庆市政府工作报告", "")
(('重庆市', 'city', '重庆市', '重庆市'), 2026)
"""

from ingest.subject.region import NoSubjectRegion, SubjectRegion, find_subject
from ingest.subject.year import find_period, find_year

__all__ = ["SubjectRegion", "find_subject", "find_year", "find_period", "NoSubjectRegion"]
