-- The committee's numbers read a course's attendance lesson by lesson: each lesson held finds
-- its check-ins (and their registrations) on this index instead of scanning the offering's
-- scans (server/src/db/numbers.rs; measured in docs/benchmarks.md).
CREATE INDEX checkins_by_lesson ON checkins (offering_id, lesson, registration_id)
    WHERE kind = 'in';
