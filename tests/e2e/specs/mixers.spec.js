// A mixer on three phones: a private profile written when signing up, review, check-in, picks
// made offline in a hall without network, the close, and matches only the two people see, with
// the contact each chose to share; a third who picked one of them sees no match and nothing more.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { syncNow } = require("../support/sync");
const { createMixer: createMixerVia, pushMutations } = require("../support/mixers");
const { ADMIN, ORGANIZER, tokenFor } = require("../support/activities");

const TITLE = "望青团缘·冬日联谊";
const PASSWORD = "river-patrol-2026";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

async function push(request, token, mutations) {
  const outcomes = await pushMutations(request, server.url, token, crypto.randomUUID(), mutations.map(([name, args]) => ({ name, args })));
  for (const o of outcomes) expect(o.outcome, JSON.stringify(o)).toBe("applied");
}

/** A mixer that began ten minutes ago (its door is open), review on, three picks each. */
async function createMixer(request) {
  return createMixerVia(request, server.url, { title: TITLE, capacity: 10, maxAge: 35 });
}

async function signUpPerson(request, phone, name) {
  const res = await request.post(server.url + "/api/v1/auth/signup", {
    data: { phone, password: PASSWORD, display_name: name, birth_year: 1998, consent: { version: "2026-11-22", accepted: true } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).token;
}

/** The person's registration for the mixer, as the server has it. */
async function registrationOf(request, token, offeringId) {
  const res = await request.get(`${server.url}/api/v1/sync/pull?schema_version=1&client_id=${crypto.randomUUID()}&cursor=0`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.ok()).toBeTruthy();
  const { changes } = await res.json();
  return changes.find((c) => c.kind === "registration" && c.data && c.data.offering_id === offeringId).data;
}

/** Writes the profile and signs up on the mixer's page, in the browser. */
async function profileAndSignUp(page, app, id, { nickname, gender, occupation, contact, wechat }) {
  await app.goto(`/o/${id}`);
  const details = page.getByTestId("offering-page");
  await expect(details.getByTestId("signup-closed")).toContainText("需先填写联谊资料");
  const form = details.getByTestId("mixer-profile-form");
  await form.locator("#nickname").fill(nickname);
  await form.locator("#gender").selectOption(gender);
  await form.locator("#occupation").fill(occupation);
  await form.locator("#contact_kind").selectOption(contact);
  if (wechat) await form.locator("#wechat_id").fill(wechat);
  return { details, form };
}

test("two people pick each other offline and only they see the match; a third sees nothing more", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const id = await createMixer(request);
  const tokens = {
    a: await signUpPerson(request, "13510000001", "李明"),
    b: await signUpPerson(request, "13510000002", "赵雪"),
    c: await signUpPerson(request, "13510000003", "钱芳"),
  };
  const phone = async () => browser.newContext({ viewport: { width: 360, height: 780 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", hasTouch: true, isMobile: true });
  const [ctxA, ctxB, ctxC] = [await phone(), await phone(), await phone()];
  const [pageA, pageB, pageC] = [await ctxA.newPage(), await ctxB.newPage(), await ctxC.newPage()];
  const [appA, appB, appC] = [pageA, pageB, pageC].map((p) => new AppPage(p, server.url));

  // A: the mixer asks for the profile first; the declaration is required.
  await signIn(pageA, server.url, "13510000001", PASSWORD);
  await appA.waitForOfflineReady();
  const a = await profileAndSignUp(pageA, appA, id, { nickname: "阿明", gender: "male", occupation: "软件工程师", contact: "wechat", wechat: "ming_2026" });
  await expect(a.details.getByTestId("offering-ages")).toHaveText("20–35 岁");
  await expectTouchFriendly(pageA, "the mixer profile form");
  await a.form.getByTestId("mixer-profile-save").click();
  await expect(a.form.getByTestId("single-error")).toContainText("声明本人单身");
  await a.form.locator("label.check").filter({ hasText: "我声明本人目前单身" }).click();
  await a.form.getByTestId("mixer-profile-save").click();
  // The profile is kept; now the places for his own gender and the sign-up button show.
  await expect(a.details.getByTestId("offering-seats")).toHaveText(/^男 /);
  await a.details.getByRole("button", { name: "提交报名" }).click();
  await expect(a.details.getByTestId("registration-state")).toHaveText(/待审核/);

  // B, the same in her browser, sharing her phone number.
  await signIn(pageB, server.url, "13510000002", PASSWORD);
  await appB.waitForOfflineReady();
  const b = await profileAndSignUp(pageB, appB, id, { nickname: "小雪", gender: "female", occupation: "小学教师", contact: "phone" });
  await b.form.locator("label.check").filter({ hasText: "我声明本人目前单身" }).click();
  await b.form.getByTestId("mixer-profile-save").click();
  await expect(b.details.getByTestId("offering-seats")).toHaveText(/^女 /);
  await b.details.getByRole("button", { name: "提交报名" }).click();
  await expect(b.details.getByTestId("registration-state")).toHaveText(/待审核/);

  // C signs up from another device (through the API), with a WeChat id that must never leak.
  await push(request, tokens.c, [
    ["mixer.profile", { profile: { nickname: "芳芳", gender: "female", education: "master", occupation: "会计师秘密", contact_kind: "wechat", wechat_id: "fang_secret", intro: "喜欢徒步秘密", single: true } }],
    ["registration.request", { registration_id: crypto.randomUUID(), offering_id: id }],
  ]);

  // The admin approves the three; the organizer checks them in at the door.
  const regs = {};
  for (const k of ["a", "b", "c"]) regs[k] = (await registrationOf(request, tokens[k], id)).id;
  const admin = await tokenFor(request, server.url, ADMIN);
  await push(request, admin, Object.values(regs).map((r) => ["review.decide", { registration_id: r, decision: "approve", reason: "" }]));
  const organizer = await tokenFor(request, server.url, ORGANIZER);
  await push(request, organizer, Object.values(regs).map((r) => ["checkin.record", { checkin_id: crypto.randomUUID(), registration_id: r, kind: "in", scanned_at: Date.now(), device_id: "door-1" }]));

  // Each phone shows its number and, to pick from, those present: number and nickname only.
  await appA.goto("/me");
  await syncNow(pageA);
  const rowA = pageA.getByTestId("my-registration").filter({ hasText: TITLE });
  await expect(rowA.getByTestId("mixer-badge")).toContainText("男 01");
  await expect(rowA.getByTestId("pick-people").locator("label")).toHaveCount(2);
  await expect(rowA.getByTestId("pick-people")).toContainText("女 01 · 小雪");
  await expect(rowA.getByTestId("pick-people")).not.toContainText("小学教师");
  await expectTouchFriendly(pageA, "the pick form");
  await appB.goto("/me");
  await syncNow(pageB);
  const rowB = pageB.getByTestId("my-registration").filter({ hasText: TITLE });
  await expect(rowB.getByTestId("mixer-badge")).toContainText("女 01");

  // In the hall without network: A picks B, B picks A; the phones say the picks are not sent.
  await ctxA.setOffline(true);
  await ctxB.setOffline(true);
  await rowA.getByTestId("pick-people").locator("label").filter({ hasText: "小雪" }).click();
  await rowA.getByTestId("pick-submit").click();
  await expect(rowA.getByTestId("picks-pending")).toContainText("选择尚未提交");
  await rowB.getByTestId("pick-people").locator("label").filter({ hasText: "阿明" }).click();
  await rowB.getByTestId("pick-submit").click();
  await expect(rowB.getByTestId("picks-pending")).toBeVisible();
  // C picks A too (one-sided) from her own device.
  await push(request, tokens.c, [["mixer.pick", { registration_id: regs.c, badges: ["M01"] }]]);

  // Back online, the picks go; then the organizer opens and closes the window.
  for (const [ctx, page, row] of [[ctxA, pageA, rowA], [ctxB, pageB, rowB]]) {
    await ctx.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect(row.getByTestId("picks-pending")).toHaveCount(0);
  }
  await push(request, organizer, [["mixer.open", { offering_id: id }]]);
  const closed = await request.post(`${server.url}/api/v1/offerings/${id}/picks/close`, { headers: { authorization: `Bearer ${organizer}` } });
  expect(closed.status()).toBe(200);
  const counts = await closed.json();
  expect(counts.pairs).toBe(1);
  expect(counts.pickers).toBe(3);

  // Both see the match with the contact the other chose to share.
  await syncNow(pageA);
  await expect(rowA.getByTestId("mixer-match")).toHaveCount(1);
  await expect(rowA.getByTestId("match-nickname")).toHaveText("小雪");
  await expect(rowA.getByTestId("match-contact")).toHaveText("13510000002");
  await syncNow(pageB);
  await expect(rowB.getByTestId("match-nickname")).toHaveText("阿明");
  await expect(rowB.getByTestId("match-contact")).toHaveText("ming_2026");
  await expectTouchFriendly(pageB, "a match");
  await expect(pageA.locator("body")).not.toContainText("fang_secret");
  await expect(pageA.locator("body")).not.toContainText("芳芳");

  // C, who picked A, sees that there is no match, and nothing of who picked whom.
  await signIn(pageC, server.url, "13510000003", PASSWORD);
  await appC.goto("/me");
  const rowC = pageC.getByTestId("my-registration").filter({ hasText: TITLE });
  await expect(rowC.getByTestId("mixer-no-match")).toBeVisible();
  await expect(rowC.getByTestId("mixer-match")).toHaveCount(0);
  for (const hidden of ["ming_2026", "13510000002", "阿明", "小雪"]) {
    await expect(pageC.locator("body")).not.toContainText(hidden);
  }
  await Promise.all([ctxA.close(), ctxB.close(), ctxC.close()]);
});
