// 交友联谊 on the staff side, on 360 px phones: the admin reads a mixer sign-up's profile in the
// review queue and approves (one, then the rest in bulk); the organizer, offline at the door,
// checks people in by name, by the last four digits and by ticket and sees each one's badge,
// registers a walk-in who must give a gender (and is refused beyond the gender's places), opens
// the pick window offline, cannot close it offline, goes online and closes it (the queued open
// reaching the server first) and sees only counts; a second phone that closes after it is told
// the window is not open; nothing of anyone's profile ever shows on the organizer's screens;
// the admin's mixer panel gives the numbers.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { createMixer: createMixerVia, pushMutations } = require("../support/mixers");
const { ADMIN, ORGANIZER, PHONE, tokenFor, AdminPage, VenuePage } = require("../support/activities");

const TITLE = "望青团缘·湘江夜话";
const BORN = 1998;

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

async function online(context, page) {
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
}

async function createMixer(request) {
  return createMixerVia(request, server.url, { title: TITLE, capacity: 3, maxAge: 40 });
}

/** What each person writes in their profile: every text is one nobody else on a screen has, so
 * a search of the organizer's screens for it finds only a leak. */
function profileOf(i, gender) {
  return {
    nickname: `秘名${i}号`,
    gender,
    education: "bachelor",
    occupation: `秘业海洋研究${i}`,
    height_cm: 170 + i,
    intro: `秘介周末潜水观星${i}`,
    contact_kind: "wechat",
    wechat_id: `secretwx_${i}abc`,
    single: true,
  };
}

async function push(request, token, clientId, mutations) {
  return pushMutations(request, server.url, token, clientId, mutations);
}

/** A new account that writes its mixer profile and asks for a place (through the sync API, as
 * its phone would). */
async function participant(request, mixerId, i, name, gender) {
  const phone = `1358800${String(4100 + i).padStart(4, "0")}`;
  const signup = await request.post(server.url + "/api/v1/auth/signup", {
    data: { phone, password: "lantern-river-2026", display_name: name, birth_year: BORN, consent: { version: "2026-11-22", accepted: true } },
  });
  expect(signup.status(), await signup.text()).toBe(201);
  const { token } = await signup.json();
  const clientId = crypto.randomUUID();
  const registrationId = crypto.randomUUID();
  const profile = profileOf(i, gender);
  const outcomes = await push(request, token, clientId, [
    { name: "mixer.profile", args: { profile } },
    { name: "registration.request", args: { registration_id: registrationId, offering_id: mixerId } },
  ]);
  for (const o of outcomes) expect(o.outcome, JSON.stringify(o)).toBe("applied");
  expect(outcomes[1].decision.status).toBe("pending_review");
  return { name, phone, token, clientId, registrationId, profile, nextId: 3 };
}

/** The person's ticket, from their own pull (once confirmed). */
async function ticketOf(request, p) {
  const res = await request.get(`${server.url}/api/v1/sync/pull?schema_version=1&client_id=${p.clientId}&cursor=0`, {
    headers: { authorization: `Bearer ${p.token}` },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  const row = (await res.json()).changes.find((c) => c.kind === "registration" && c.id === p.registrationId);
  expect(row && row.data.ticket, "a confirmed place has a ticket").toBeTruthy();
  return row.data.ticket;
}

async function pick(request, p, badges) {
  const outcomes = await push(request, p.token, p.clientId, [
    { id: p.nextId++, name: "mixer.pick", args: { registration_id: p.registrationId, badges } },
  ]);
  expect(outcomes[0].outcome, JSON.stringify(outcomes[0])).toBe("applied");
}

async function countsAsAdmin(request, id) {
  const token = await tokenFor(request, server.url, ADMIN);
  const res = await request.get(`${server.url}/api/v1/offerings/${id}/mixer`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

/** `男 01` → `M01`, as the wire writes badges. */
const code = (shown) => (shown.startsWith("男") ? "M" : "F") + shown.replace(/\D/g, "");

test("a mixer at the door: profiles for the admin only, badges, walk-ins by gender, an offline open and an online close with only counts", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const id = await createMixer(request);
  const a = await participant(request, id, 1, "联谊甲", "male");
  const b = await participant(request, id, 2, "联谊乙", "female");
  const c = await participant(request, id, 3, "联谊丙", "female");
  const everyone = [a, b, c];
  const secrets = everyone.flatMap((p) => [p.profile.nickname, p.profile.occupation, p.profile.intro, p.profile.wechat_id]);
  const year = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()));

  // The admin, on a phone: a new mixer in the editor asks for places per gender, ages and
  // picks, and starts with review on.
  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  await expect(admin.offering(TITLE)).toBeVisible();
  await adminPage.getByTestId("new-offering").click();
  const review = admin.editor.getByLabel("报名需要审核");
  await expect(review).not.toBeChecked();
  await admin.editor.getByLabel("类型").selectOption("mixer");
  await expect(review).toBeChecked();
  await expect(admin.editor.getByLabel("男生名额")).toBeVisible();
  await expect(admin.editor.getByLabel("女生名额")).toHaveValue("15");
  await expect(admin.editor.getByLabel("最小年龄")).toHaveValue("18");
  await expect(admin.editor.getByLabel("最大年龄")).toHaveValue("35");
  await expect(admin.editor.getByLabel("每人最多可选")).toHaveValue("3");
  await expectTouchFriendly(adminPage, "/admin editor of a mixer at 360 px");
  await admin.editor.getByRole("button", { name: "返回", exact: true }).click();

  // The review queue shows each mixer sign-up's profile, never the contact they share.
  await admin.openReviews();
  await expect(admin.reviews).toHaveCount(3);
  const item = admin.review("联谊甲");
  const profile = item.getByTestId("review-profile");
  await expect(profile).toContainText("联谊资料");
  for (const text of ["秘名1号", "男", `${year - BORN} 岁（${BORN} 年生）`, "本科", "秘业海洋研究1", "171 厘米", "秘介周末潜水观星1", "已声明单身"]) {
    await expect(profile).toContainText(text);
  }
  await expect(admin.review("联谊乙").getByTestId("review-profile")).toContainText("女");
  await expect(adminPage.locator("body")).not.toContainText("secretwx_");
  await expectTouchFriendly(adminPage, "/admin reviews of a mixer at 360 px");
  await item.getByTestId("approve").click();
  await expect(admin.reviews).toHaveCount(2);
  await adminPage.getByTestId("select-all").check();
  await expect(adminPage.getByTestId("bulk-approve")).toHaveText("批量通过（2）");
  await adminPage.getByTestId("bulk-approve").click();
  await expect(adminPage.getByTestId("reviews-empty")).toBeVisible();
  const ticketC = await ticketOf(request, c);

  // The organizer downloads the roster: each place has its badge, men then women.
  const orgCtx = await browser.newContext(PHONE);
  const org = await orgCtx.newPage();
  await signIn(org, server.url, ORGANIZER);
  await new AppPage(org, server.url).waitForOfflineReady();
  const door = new VenuePage(org, server.url);
  await door.open(TITLE);
  await expect(door.registered).toHaveText("3");
  await expect(org.getByTestId("count-in-male")).toHaveText("0");
  await expect(org.getByTestId("count-in-female")).toHaveText("0");
  const roster = org.getByTestId("roster");
  await roster.locator("summary").click();
  await expect(roster.getByTestId("person-badge")).toHaveText(["男 01", /^女 0[12]$/, /^女 0[12]$/]);
  const badgeOf = async (name) => roster.getByTestId("person").filter({ hasText: name }).getByTestId("person-badge").textContent();
  const badges = { a: await badgeOf("联谊甲"), b: await badgeOf("联谊乙"), c: await badgeOf("联谊丙") };
  expect(badges.a).toBe("男 01");
  expect([badges.b, badges.c].sort()).toEqual(["女 01", "女 02"]);
  await expect(org.getByTestId("picks-state")).toHaveAttribute("data-window", "not-open");

  // Offline at the door: by name, by the last four digits, by ticket; each result says the badge.
  await orgCtx.setOffline(true);
  const search = org.getByLabel("姓名或手机后四位");
  const found = org.getByTestId("search-results").getByTestId("person");
  await search.fill("联谊甲");
  await expect(found).toHaveCount(1);
  await expect(found.getByTestId("person-badge")).toHaveText("男 01");
  await found.getByRole("button", { name: "签到", exact: true }).click();
  await expect(door.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(door.result).toContainText("签到成功：联谊甲");
  await expect(door.result.getByTestId("scan-badge")).toHaveText("男 01");
  await search.fill(b.phone.slice(-4));
  await expect(found).toHaveCount(1);
  await found.getByRole("button", { name: "签到", exact: true }).click();
  await expect(door.result).toContainText("签到成功：联谊乙");
  await expect(door.result.getByTestId("scan-badge")).toHaveText(badges.b);
  await door.scan(ticketC);
  await expect(door.result).toContainText("签到成功：联谊丙");
  await expect(door.result.getByTestId("scan-badge")).toHaveText(badges.c);
  // A second scan of the same ticket is a repeat, and still says the number.
  await door.scan(ticketC);
  await expect(door.result).toHaveAttribute("data-outcome", "repeat");
  await expect(door.result.getByTestId("scan-badge")).toHaveText(badges.c);
  await expect(org.getByTestId("count-in-male")).toHaveText("1");
  await expect(org.getByTestId("count-in-female")).toHaveText("2");

  // A walk-in must give a gender; the number comes with the sync; beyond the gender's places
  // nobody more is taken.
  const walkIn = org.getByTestId("walk-in");
  await expect(walkIn.getByTestId("walk-in-left")).toContainText("剩余名额：男 2 个，女 1 个");
  await walkIn.getByLabel("姓名或昵称").fill("路人丁");
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("请选择性别");
  await walkIn.getByRole("radio", { name: "女", exact: true }).check();
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("已登记并签到：路人丁（号码待同步）");
  await expect(walkIn.getByTestId("walk-in-left")).toContainText("剩余名额：男 2 个，女 0 个");
  await expect(org.getByTestId("count-in-female")).toHaveText("3");
  await search.fill("路人丁");
  await expect(found.getByTestId("person-badge")).toHaveText("号码待同步");
  await walkIn.getByLabel("姓名或昵称").fill("路人戊");
  await walkIn.getByRole("radio", { name: "女", exact: true }).check();
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("该性别名额已满，不能现场报名");
  await expectTouchFriendly(org, "/venue/{mixer} offline");

  // Online: everything queued is sent; the walk-in's number arrives.
  await online(orgCtx, org);
  await expect(door.waiting).toHaveCount(0);
  await door.downloadRoster();
  await expect(found.getByTestId("person-badge")).toHaveText("女 03");
  await expect(org.getByTestId("count-in-female")).toHaveText("3");

  // The participants pick on their phones (picks count before the organizer's open, until the
  // close): 甲 and 乙 pick each other, 丙 picks 甲.
  await pick(request, a, [code(badges.b)]);
  await pick(request, b, ["M01"]);
  await pick(request, c, ["M01"]);

  // A second organizer phone at the same door opens the window too, offline; it will try to
  // close it after the first has (below).
  const otherCtx = await browser.newContext(PHONE);
  const other = await otherCtx.newPage();
  await signIn(other, server.url, ORGANIZER);
  await new AppPage(other, server.url).waitForOfflineReady();
  const otherDoor = new VenuePage(other, server.url);
  await otherDoor.open(TITLE);
  await otherCtx.setOffline(true);
  await other.getByTestId("open-picks").click();
  await expect(other.getByTestId("picks-state")).toHaveAttribute("data-window", "opening");

  // Offline again: the open is queued like any action at the door, and shows as waiting.
  await orgCtx.setOffline(true);
  await org.getByTestId("open-picks").click();
  const state = org.getByTestId("picks-state");
  await expect(state).toHaveAttribute("data-window", "opening");
  await expect(state).toHaveText(/已开始互选（待同步）/);
  await expect(door.waiting).toContainText("1 条记录待上传");
  // Closing needs the network: offline it says so and changes nothing.
  await org.getByTestId("close-picks").click();
  await expect(org.getByTestId("picks-message")).toContainText("结束选择需要联网");
  await expect(state).toHaveAttribute("data-window", "opening");
  expect((await countsAsAdmin(request, id)).window).toBe("not_open");

  // Online, closing at once: the queued open reaches the server before the close is asked for.
  const events = [];
  org.on("requestfinished", (r) => {
    if (new URL(r.url()).pathname === "/api/v1/sync/push" && (r.postData() || "").includes("mixer.open")) events.push("open-sent");
  });
  org.on("request", (r) => {
    if (new URL(r.url()).pathname.endsWith("/picks/close")) events.push("close-asked");
  });
  await online(orgCtx, org);
  await org.getByTestId("close-picks").click();
  await expect(state).toHaveAttribute("data-window", "closed");
  await expect(org.getByTestId("picks-message")).toHaveText("已结束互选。");
  expect(events.indexOf("open-sent")).toBeGreaterThanOrEqual(0);
  expect(events.indexOf("open-sent")).toBeLessThan(events.indexOf("close-asked"));

  // Only counts: checked in per gender, who picked, pairs matched; no more controls.
  const results = org.getByTestId("picks-results");
  await expect(results.getByTestId("result-in-male")).toHaveText("1");
  await expect(results.getByTestId("result-in-female")).toHaveText("3");
  await expect(results.getByTestId("result-pickers")).toHaveText("3");
  await expect(results.getByTestId("result-pairs")).toHaveText("1");
  await expect(org.getByTestId("open-picks")).toHaveCount(0);
  await expect(org.getByTestId("close-picks")).toHaveCount(0);
  await expect(door.waiting).toHaveCount(0);
  const after = await countsAsAdmin(request, id);
  expect(after).toMatchObject({ window: "closed", checked_in: [1, 3], pickers: 3, pairs: 1 });
  // The window as synced says closed too, after a reload (online).
  await org.reload();
  await expect(org.getByTestId("picks-state")).toHaveAttribute("data-window", "closed");
  await expect(org.getByTestId("result-pairs")).toHaveText("1");
  await expectTouchFriendly(org, "/venue/{mixer} after the close");

  // The second phone, back online, closes at once: its queued open is sent first (and refused:
  // the window has closed) and the server says the window is not open.
  let release;
  const held = new Promise((r) => (release = r));
  await other.route("**/api/v1/sync/**", async (route) => {
    await held;
    await route.continue();
  });
  await online(otherCtx, other);
  await other.getByTestId("close-picks").click();
  release();
  await expect(other.getByTestId("picks-message")).toHaveText("互选不在进行中，无法结束（可能尚未开始，或已经结束）。");
  await expect(other.getByTestId("picks-state")).toHaveAttribute("data-window", "closed");
  await expect(other.getByTestId("result-pairs")).toHaveText("1");
  expect((await countsAsAdmin(request, id)).pairs).toBe(1);
  await otherCtx.close();

  // Nothing of anyone's profile ever reached the organizer's screens: the door with the whole
  // roster open and everyone searched, and the list of activities.
  await org.getByTestId("roster").locator("summary").click();
  await expect(org.getByTestId("roster").getByTestId("person")).toHaveCount(4);
  for (const who of ["联谊", "路人"]) {
    await org.getByLabel("姓名或手机后四位").fill(who);
    for (const s of secrets) await expect(org.locator("body")).not.toContainText(s);
  }
  await org.goto(server.url + "/venue");
  await expect(org.getByTestId("venue-today")).toContainText(TITLE);
  for (const s of secrets) await expect(org.locator("body")).not.toContainText(s);

  // The admin's panel for the mixer: the numbers, without who picked whom.
  await admin.open();
  await admin.offering(TITLE).getByTestId("open-mixer").click();
  const numbers = admin.offering(TITLE).getByTestId("mixer-numbers");
  await expect(numbers.getByTestId("mixer-confirmed")).toHaveText("已确认：男 1 / 3，女 3 / 3");
  await expect(numbers.getByTestId("mixer-checked-in")).toHaveText("已签到：男 1，女 3");
  await expect(numbers.getByTestId("mixer-pickers")).toHaveText("参与选择 3 人");
  await expect(numbers.getByTestId("mixer-pairs")).toHaveText("配对成功 1 对");
  await expect(numbers.getByTestId("mixer-window")).toHaveText("互选已结束。");
  await expectTouchFriendly(adminPage, "/admin mixer panel at 360 px");

  await orgCtx.close();
  await adminCtx.close();
});
