-- PostgreSQL's version of migrations/0011_numbers_indexes.sql: a course's attendance read
-- lesson by lesson.
CREATE INDEX checkins_by_lesson ON checkins (offering_id, lesson, registration_id)
    WHERE kind = 'in';
