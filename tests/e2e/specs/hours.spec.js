// Volunteer hours people can trust: a volunteer's hours wait on public notice (公示中), the
// volunteer asks offline for a correction with a reason, goes online, the organizer accepts it
// in venue mode, and the volunteer sees the outcome and the corrected hours; the public notice
// page shows the activity with masked names.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { ADMIN, ORGANIZER, YOUTH, PHONE, DESKTOP, tokenFor, createActivity, VenuePage } = require("../support/activities");
const { syncNow } = require("../support/sync");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

/** Pushes one mutation with `token` from a device of its own; answers its outcome. */
async function push(request, token, name, args) {
  const res = await request.post(server.url + "/api/v1/sync/push", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      schema_version: 1,
      client_id: crypto.randomUUID(),
      client_time: Date.now(),
      mutations: [{ id: 1, name, args, created_at: Date.now() }],
    },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).outcomes[0];
}

test("a correction request made offline reaches the organizer, is accepted, and the volunteer sees it", async ({ browser, request }) => {
  test.setTimeout(180_000);
  // An activity that began two hours ago and ends in 25 s: signed up, scanned in and out.
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  const activity = await createActivity(
    request,
    server.url,
    {
      title: "河小青·时长公示巡河",
      requires_approval: false,
      questions: [],
      ends_at: iso(now + 25_000),
      signup_closes_at: iso(now + 20_000),
    },
    { now },
  );
  const youthToken = await tokenFor(request, server.url, YOUTH);
  const registration = crypto.randomUUID();
  expect((await push(request, youthToken, "registration.request", { registration_id: registration, offering_id: activity.id })).outcome).toBe("applied");
  const orgToken = await tokenFor(request, server.url, ORGANIZER);
  for (const [kind, at] of [["in", now - 3 * 3600_000], ["out", Date.now()]]) {
    const scan = { checkin_id: crypto.randomUUID(), registration_id: registration, kind, scanned_at: at, device_id: "door-1" };
    expect((await push(request, orgToken, "checkin.record", scan)).outcome).toBe("applied");
  }
  // Corrections are for activities that have ended.
  await new Promise((r) => setTimeout(r, Math.max(0, now + 26_000 - Date.now())));

  // The volunteer's phone: the hours are on notice, not in the year's total.
  const youthCtx = await browser.newContext(PHONE);
  const youth = await youthCtx.newPage();
  await signIn(youth, server.url, YOUTH);
  await new AppPage(youth, server.url).waitForOfflineReady();
  await youth.goto(server.url + "/me/hours");
  const entry = youth.getByTestId("ledger-entry").filter({ hasText: activity.draft.title });
  await expect(entry).toHaveAttribute("data-minutes", "120");
  await expect(entry.getByTestId("ledger-pending")).toContainText("公示中，将于");
  await expect(youth.getByTestId("hours-total")).toHaveAttribute("data-minutes", "0");
  await expect(youth.getByTestId("hours-pending")).toHaveAttribute("data-minutes", "120");
  await expectTouchFriendly(youth, "/me/hours");

  // Offline: an empty reason is refused on the device; then the request waits to be sent.
  await youthCtx.setOffline(true);
  const form = youth.getByTestId("correction-request");
  await form.getByLabel("应记时长（分钟）").fill("150");
  await form.getByTestId("request-submit").click();
  await expect(form.getByRole("alert")).toContainText("请填写理由");
  await form.getByLabel("理由（必填）").fill("签退时扫码失败，实际服务到结束");
  await form.getByTestId("request-submit").click();
  await expect(form).toContainText("申请已保存");
  const mine = youth.getByTestId("my-request");
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute("data-pending", "true");
  await expect(mine.getByTestId("request-status")).toContainText("待处理");

  // Online: it reaches the server.
  await youthCtx.setOffline(false);
  await syncNow(youth);
  await expect(mine).toHaveAttribute("data-pending", "false");

  // The organizer answers in venue mode.
  const orgCtx = await browser.newContext(PHONE);
  const org = await orgCtx.newPage();
  await signIn(org, server.url, ORGANIZER);
  const door = new VenuePage(org, server.url);
  await door.open(activity.draft.title);
  const asked = org.getByTestId("hours-request").filter({ hasText: "王青青" });
  await expect(asked).toContainText("签退时扫码失败");
  await expectTouchFriendly(org, "/venue/{id} hours requests");
  await asked.getByTestId("request-accept").click();
  // Once the server has the answer, nothing is left to answer.
  await expect(org.getByTestId("hours-requests")).toHaveCount(0, { timeout: 15_000 });

  // The volunteer sees the outcome and the corrected hours.
  await syncNow(youth);
  await expect(mine).toHaveAttribute("data-status", "accepted");
  await expect(mine.getByTestId("request-status")).toContainText("已通过");
  await expect(entry).toHaveAttribute("data-minutes", "150");
  await youth.getByTestId("changes-load").click();
  await expect(youth.getByTestId("hours-change").first()).toContainText("修正申请通过");

  // The public notice page: the activity with the name masked.
  await youth.getByTestId("notices-link").click();
  const notice = youth.getByTestId("notice").filter({ hasText: activity.draft.title });
  await expect(notice.getByTestId("notice-person")).toContainText("王*青");
  await expect(youth.getByTestId("notices-empty")).toHaveCount(0);
  // The full name is only in the signed-in person's own header, never on the notice.
  await expect(notice).not.toContainText("王青青");
});

test("an admin answers requests of every activity from one list, declining with a reason, offline", async ({ browser, request }) => {
  test.setTimeout(120_000);
  // An activity that began two hours ago and has just ended: signed up, scanned in only.
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  const activity = await createActivity(
    request,
    server.url,
    {
      title: "河小青·修正名单巡河",
      requires_approval: false,
      questions: [],
      ends_at: iso(now + 12_000),
      signup_closes_at: iso(now + 10_000),
    },
    { now },
  );
  const youthToken = await tokenFor(request, server.url, YOUTH);
  const registration = crypto.randomUUID();
  expect((await push(request, youthToken, "registration.request", { registration_id: registration, offering_id: activity.id })).outcome).toBe("applied");
  const orgToken = await tokenFor(request, server.url, ORGANIZER);
  const scan = { checkin_id: crypto.randomUUID(), registration_id: registration, kind: "in", scanned_at: now - 2 * 3600_000, device_id: "door-1" };
  expect((await push(request, orgToken, "checkin.record", scan)).outcome).toBe("applied");

  // The admin's list, before any request: it says there is none.
  const ctx = await browser.newContext(DESKTOP);
  const admin = await ctx.newPage();
  await signIn(admin, server.url, ADMIN);
  await new AppPage(admin, server.url).waitForOfflineReady();
  await admin.goto(server.url + "/admin");
  await admin.getByRole("tab", { name: "时长修正" }).click();
  await expect(admin.getByTestId("hours-requests-none")).toContainText("暂无待处理的申请");

  // The volunteer asks once the activity is over (through the API: the volunteer's screens
  // are the other test's).
  await new Promise((r) => setTimeout(r, Math.max(0, now + 13_000 - Date.now())));
  const asked = await push(request, youthToken, "hours.request", {
    request_id: crypto.randomUUID(),
    registration_id: registration,
    minutes: 120,
    reason: "忘记签退，实际服务两小时",
  });
  expect(asked.outcome).toBe("applied");

  // It reaches the admin's list with the activity's title.
  await syncNow(admin);
  const row = admin.getByTestId("hours-request").filter({ hasText: "王青青" });
  await expect(row.getByTestId("hours-request-activity")).toHaveText(activity.draft.title);
  await expect(row).toContainText("忘记签退");

  // Offline: declining needs a reason; with one, the answer waits to be sent.
  await ctx.setOffline(true);
  await row.getByTestId("request-decline").click();
  await expect(row.getByRole("alert")).toContainText("不通过须填写理由");
  await row.getByLabel("答复理由（不通过时必填）").fill("签退记录缺失且无人证明");
  await row.getByTestId("request-decline").click();
  await expect(row).toContainText("已答复，联网后同步");
  await expect(row).toContainText("待同步");

  // Online: the server has it, and nothing is left to answer.
  await ctx.setOffline(false);
  await syncNow(admin);
  await expect(admin.getByTestId("hours-requests-none")).toBeVisible({ timeout: 15_000 });
  await ctx.close();
});
