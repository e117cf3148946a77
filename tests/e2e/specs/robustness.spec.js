// The app never dies on data it receives: a row it cannot show is left out and said so, and
// everything else goes on (an outside probe once made 我的 panic with a check-in dated 9999).
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { signIn } = require("../support/accounts");
const { createActivity, tokenFor } = require("../support/activities");

const YOUTH = "13900000003";
const TITLE = "社区清洁志愿服务";
// 9999-12-31T23:46:40Z: the year 10000 in China, past the end of the app's time library.
const YEAR_9999 = 253402300000;

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

test("a registration dated 9999 is left out and reported; 我的 and 我的志愿时长 still work", async ({ page, request }) => {
  const offering = await createActivity(request, server.url, { requires_approval: false, questions: [] });
  const token = await tokenFor(request, server.url, YOUTH);
  const push = await request.post(server.url + "/api/v1/sync/push", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      schema_version: 1,
      client_id: crypto.randomUUID(),
      client_time: Date.now(),
      mutations: [
        {
          id: 1,
          name: "registration.request",
          args: { registration_id: crypto.randomUUID(), offering_id: offering.id, answers: {} },
          created_at: Date.now(),
        },
      ],
    },
  });
  expect(push.ok()).toBeTruthy();

  // Every full download also brings a registration, for a programme the device does not know,
  // whose check-in lies in the year 9999.
  const bad = crypto.randomUUID();
  await page.route("**/api/v1/sync/pull?**", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (new URL(route.request().url()).searchParams.get("cursor") === "0" && Array.isArray(body.changes)) {
      body.changes.push({
        kind: "registration",
        id: bad,
        version: 1,
        data: {
          id: bad,
          offering_id: "activity-long-gone",
          status: "confirmed",
          created_at: Date.now(),
          received_at: Math.floor(Date.now() / 1000),
          checked_in_at: YEAR_9999,
          present_minutes: 60,
          credited_minutes: 60,
          hours_flags: [],
        },
      });
    }
    await route.fulfill({ response, json: body });
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await signIn(page, server.url, YOUTH, undefined, "/me");
  await page.goto(server.url + "/me");
  await expect(page.getByTestId("sync-status")).toContainText("已同步");
  await expect(page.getByTestId("my-registration")).toHaveCount(1);
  await expect(page.getByTestId("my-registration")).toContainText(TITLE);
  await expect(page.getByTestId("unreadable-rows")).toHaveText("有 1 条记录数据有误，无法显示，已跳过");

  await page.goto(server.url + "/me/hours");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("unreadable-rows")).toBeVisible();
  await expect(page.getByTestId("sync-status")).toContainText("已同步");
  expect(errors).toEqual([]);
});
