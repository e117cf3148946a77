// Signing up offline, syncing exactly once, and never losing a queued action.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { ProgrammesPage, serverRegistrations, signUpOthers, publicOffering, syncNow } = require("../support/sync");
const { ADMIN, createActivity, OfferingPage, tokenFor } = require("../support/activities");

const RIVER = "河小青·湘江护河巡查";
const SORTING = "垃圾分类入户宣传";
const YOUTH = "13900000003";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

async function ready(page) {
  await signIn(page, server.url, YOUTH);
  const app = new AppPage(page, server.url);
  await app.waitForOfflineReady();
  await app.goto("/");
  const programmes = new ProgrammesPage(page, server.url);
  await programmes.expectSynced();
  return programmes;
}

test("signing up offline shows 待同步, survives an offline reload, and is confirmed online", async ({ page, context, request }) => {
  const programmes = await ready(page);
  await context.setOffline(true);
  await programmes.signUp(RIVER);
  await expect(programmes.state(RIVER)).toHaveText(/待同步/);
  await expect(programmes.syncStatus).toContainText("1 项待同步");

  await page.reload();
  await expect(programmes.state(RIVER)).toHaveText(/待同步/);
  expect(await serverRegistrations(request, server.url, YOUTH)).toHaveLength(0);

  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(programmes.state(RIVER)).toHaveText("已报名");
  await programmes.expectSynced();
  const regs = await serverRegistrations(request, server.url, YOUTH);
  expect(regs).toHaveLength(1);
  expect(regs[0].status).toBe("confirmed");
  await expectTouchFriendly(page, "/ signed in, with a sign-up");

  // It shows under 我的报名 too, and can be cancelled there.
  await page.goto(server.url + "/me");
  await expect(page.getByTestId("my-registration")).toHaveCount(1);
  await expect(page.getByTestId("my-registration")).toContainText(RIVER);
  await expectTouchFriendly(page, "/me with a sign-up");
  await page.getByTestId("my-registration").getByRole("button", { name: "取消报名" }).click();
  // A sync and a list refresh that bring nothing new leave the confirmation open (each used to
  // redraw the list and close it).
  await syncNow(page);
  await page.waitForTimeout(500); // what they bring is saved and shown well within this
  await expect(page.getByTestId("my-registration").getByRole("button", { name: "确认取消" })).toBeVisible();
  await page.getByTestId("my-registration").getByRole("button", { name: "确认取消" }).click();
  await expect(page.getByTestId("my-registration").getByTestId("registration-state")).toHaveText("已取消");
  await expect.poll(async () => (await serverRegistrations(request, server.url, YOUTH))[0].status).toBe("cancelled");
});

test("closing the page in the middle of a push and reopening gives exactly one registration", async ({ page, context, request }) => {
  const programmes = await ready(page);
  let committed;
  const serverHasIt = new Promise((resolve) => (committed = resolve));
  await page.route("**/api/v1/sync/push", async (route) => {
    await route.fetch(); // the server applies and commits it…
    committed();
    await new Promise(() => {}); // …and the answer never arrives
  });
  await programmes.signUp(RIVER);
  await serverHasIt;
  await page.close();

  const again = await context.newPage();
  await again.goto(server.url + "/");
  const reopened = new ProgrammesPage(again, server.url);
  await expect(reopened.state(RIVER)).toHaveText("已报名");
  await reopened.expectSynced();
  const regs = await serverRegistrations(request, server.url, YOUTH);
  expect(regs).toHaveLength(1);
});

test("two tabs offline each sign up for a different activity: both arrive", async ({ page, context, request }) => {
  const first = await ready(page);
  const tab = await context.newPage();
  await tab.goto(server.url + "/");
  const second = new ProgrammesPage(tab, server.url);
  await second.expectSynced();

  await context.setOffline(true);
  await first.signUp(RIVER);
  await second.signUp(SORTING);
  await expect(first.state(RIVER)).toHaveText(/待同步/);
  await expect(second.state(SORTING)).toHaveText(/待同步/);

  await context.setOffline(false);
  for (const p of [page, tab]) await p.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(first.state(RIVER)).toHaveText("已报名");
  await expect(second.state(SORTING)).toHaveText("已报名");
  // Each tab also shows the other's sign-up once synced.
  await expect(first.state(SORTING)).toHaveText("已报名");
  const regs = await serverRegistrations(request, server.url, YOUTH);
  expect(regs.map((r) => r.offering_title).sort()).toEqual([RIVER, SORTING].sort());
});

test("an expired session while offline keeps the queued sign-up until signing in again", async ({ page, context, request }) => {
  const programmes = await ready(page);
  await context.setOffline(true);
  await programmes.signUp(RIVER);
  await expect(programmes.state(RIVER)).toHaveText(/待同步/);

  // Meanwhile every session of this person ends (signed out everywhere from another device).
  const login = await request.post(server.url + "/api/v1/auth/login", { data: { phone: YOUTH, password: "qingtuan-demo" } });
  const { token } = await login.json();
  await request.post(server.url + "/api/v1/auth/logout-all", { headers: { authorization: `Bearer ${token}` } });

  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(programmes.syncStatus).toContainText("请重新登录");
  await expect(programmes.state(RIVER)).toHaveText(/待同步/);
  expect(await serverRegistrations(request, server.url, YOUTH)).toHaveLength(0);

  await signIn(page, server.url, YOUTH, "qingtuan-demo", "/");
  await expect(programmes.state(RIVER)).toHaveText("已报名");
  expect(await serverRegistrations(request, server.url, YOUTH)).toHaveLength(1);
});

test("when the server decides otherwise than the phone showed, the person is told", async ({ page, context, request, browser }) => {
  const programmes = await ready(page);
  await context.setOffline(true);
  // The phone still thinks there is room; meanwhile the last places go to others.
  const regsBefore = await serverRegistrations(request, server.url, YOUTH);
  expect(regsBefore).toHaveLength(0);
  await signUpOthers(request, server.url, "act-blood-drive", 10);
  await programmes.signUp("无偿献血志愿服务");
  await expect(programmes.state("无偿献血志愿服务")).toHaveText(/预计：已报名/);
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(programmes.state("无偿献血志愿服务")).toHaveText("候补第 1 位");
  await expect(programmes.notices).toContainText("候补第 1 位");
  await expect(programmes.notices).toContainText("已报名");
  await programmes.notices.getByRole("button", { name: "知道了" }).click();
  await expect(programmes.notices).toBeHidden();
});

test("syncs that change the places left leave a confirmation and a half-filled form as they are", async ({ page, request }) => {
  const programmes = await ready(page);
  await programmes.signUp(RIVER);
  await expect(programmes.state(RIVER)).toHaveText("已报名");
  await programmes.expectSynced();

  // On the list: a 取消报名 waiting for its confirmation, while others take places in this
  // activity and in another one.
  await programmes.programme(RIVER).getByRole("button", { name: "取消报名" }).click();
  const confirm = programmes.programme(RIVER).getByRole("button", { name: "确认取消" });
  await expect(confirm).toBeVisible();
  const riverBefore = await publicOffering(request, server.url, "act-river-patrol");
  const sortingBefore = await publicOffering(request, server.url, "act-waste-sorting");
  await signUpOthers(request, server.url, "act-river-patrol", 2);
  await signUpOthers(request, server.url, "act-waste-sorting", 1);
  const river = await publicOffering(request, server.url, "act-river-patrol");
  const sorting = await publicOffering(request, server.url, "act-waste-sorting");
  // An activity's one pool: its places in the plan, how many are taken in the counts.
  const taken = (o) => o.counts[0].seats_taken;
  const capacity = (o) => o.plan.quotas[0].capacity;
  expect(taken(river)).toBe(taken(riverBefore) + 2);
  expect(taken(sorting)).toBe(taken(sortingBefore) + 1);
  await syncNow(page);
  // The cards show the new counts, and the confirmation is still open.
  const left = (o) => `剩余 ${capacity(o) - taken(o)} / ${capacity(o)} 个名额`;
  await expect(programmes.programme(RIVER).getByTestId("offering-card")).toContainText(left(river));
  await expect(programmes.programme(SORTING).getByTestId("offering-card")).toContainText(left(sorting));
  await page.waitForTimeout(300); // anything the sync brought is shown well within this
  await expect(confirm).toBeVisible();
  await confirm.click();
  await expect(programmes.state(RIVER)).toHaveText("已取消");

  // On a details page: answers typed into the sign-up form survive syncs that change the places.
  const start = Date.now() + 3 * 86400_000;
  const talk = await createActivity(request, server.url, {
    title: "青年议事会志愿讲解",
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + 2 * 3600_000).toISOString(),
    signup_closes_at: new Date(start - 86400_000).toISOString(),
    requires_approval: false,
    questions: [{ id: "why", label: "报名理由", kind: "text", options: [], required: true }],
  });
  const details = new OfferingPage(page, server.url);
  await details.goto(talk.id);
  const why = details.question("报名理由").getByRole("textbox");
  await why.fill("想为社区做点事");
  await signUpOthers(request, server.url, talk.id, 3, { why: "就在附近" });
  await syncNow(page);
  await expect(page.getByTestId("offering-seats")).toContainText("剩余 17 / 20 个名额");
  await expect(why).toHaveValue("想为社区做点事");

  // The admin replaces the question meanwhile: the form follows, keeps nothing of the old one,
  // and sends with the new answer.
  const admin = await tokenFor(request, server.url, ADMIN);
  const edit = await request.put(`${server.url}/api/v1/admin/offerings/${talk.id}`, {
    headers: { authorization: `Bearer ${admin}` },
    data: {
      draft: { ...talk.draft, questions: [{ id: "phone2", label: "紧急联系人电话", kind: "text", options: [], required: true }] },
      publish: true,
      organizer_ids: [],
    },
  });
  expect(edit.ok(), await edit.text()).toBeTruthy();
  await syncNow(page);
  await expect(details.question("报名理由")).toHaveCount(0);
  await details.question("紧急联系人电话").getByRole("textbox").fill("13912345678");
  await details.submit.click();
  await expect(details.state).toHaveText("已报名");
  const mine = (await serverRegistrations(request, server.url, YOUTH)).find((r) => r.offering_id === talk.id);
  expect(mine.answers).toEqual({ phone2: "13912345678" });
});
