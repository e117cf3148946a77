// Mixers' setup through the API, shared by the participants' and the staff's journeys.
const { expect } = require("@playwright/test");
const { ADMIN, ORGANIZER_ID, iso, tokenFor } = require("./activities");

/** A published mixer that began ten minutes ago (so its door is open today), review on, three
 * picks each, `capacity` places per gender, run by the demo organizer. */
async function createMixer(request, baseUrl, { title, capacity, minAge = 20, maxAge }) {
  const token = await tokenFor(request, baseUrl, ADMIN);
  const now = Date.now();
  const draft = {
    title,
    summary: "单身青年交友联谊，现场互选。",
    category: "联谊",
    venue_id: "venue-binjiang",
    starts_at: iso(now - 10 * 60_000),
    ends_at: iso(now + 3 * 3600_000),
    signup_closes_at: iso(now + 2 * 3600_000),
    requires_approval: true,
    waitlist_enabled: true,
    quotas: [
      { pool: "male", capacity },
      { pool: "female", capacity },
    ],
    programme: { kind: "mixer", min_age: minAge, max_age: maxAge, picks: 3 },
  };
  const res = await request.post(baseUrl + "/api/v1/admin/offerings", {
    headers: { authorization: `Bearer ${token}` },
    data: { draft, publish: true, organizer_ids: [ORGANIZER_ID] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

/** Pushes `mutations` (`{name, args, id?}`) as one device would; the outcomes. */
async function pushMutations(request, baseUrl, token, clientId, mutations) {
  const res = await request.post(baseUrl + "/api/v1/sync/push", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      schema_version: 1,
      client_id: clientId,
      client_time: Date.now(),
      mutations: mutations.map((m, i) => ({ id: m.id ?? i + 1, name: m.name, args: m.args, created_at: Date.now() })),
    },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).outcomes;
}

module.exports = { createMixer, pushMutations };
