// Accounts on a phone: signing up with the privacy notice, signing in and out, staying signed
// in offline, a session revoked elsewhere, an admin changing roles, a copy of my data, and
// deleting the account.
const fs = require("node:fs");
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage, observeLayoutShifts, layoutShifts } = require("../support/app");
const {
  SignUpPage,
  SignInPage,
  MePage,
  AdminUsersPage,
  newPerson,
  signIn,
  expectTouchFriendly,
} = require("../support/accounts");

let server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

/** Counts the `method` requests to an API path made by `page` from now on. */
function countRequests(page, method, path) {
  const seen = { n: 0 };
  page.on("request", (r) => {
    if (r.method() === method && new URL(r.url()).pathname === path) seen.n += 1;
  });
  return seen;
}

test("sign up with the privacy notice and consent, sign out, and sign in again", async ({ page }) => {
  const signup = new SignUpPage(page, server.url);
  const me = new MePage(page, server.url);
  const person = newPerson({ name: "林小青" });

  await signup.goto();
  // The notice is in the form in full, not only linked.
  await expect(signup.privacy).toContainText("二、我们收集哪些信息");
  await expect(signup.privacy).toContainText("八、你的权利");
  await expect(signup.privacy).toContainText("版本 2026-11-22");
  await expect(signup.guardian).toBeHidden();
  await signup.fill(person);
  await signup.consent.check();
  await signup.submit.click();

  await expect(page).toHaveURL(/\/me$/);
  await expect(me.name).toHaveText("林小青");
  await expect(page.getByTestId("profile-phone")).toHaveText(person.phone);
  await expect(me.roles).toHaveText("青年");
  await expect(me.accountLink).toContainText("林小青");

  await me.signOut.click();
  await expect(me.flash).toHaveText("已退出登录");
  await expect(me.signedOut).toBeVisible();
  await expect(me.accountLink).toHaveText("登录");
  expect(await page.evaluate(() => localStorage.getItem("qingtuan.session"))).toBeNull();

  await me.signedOut.getByRole("link", { name: "登录" }).click();
  const signin = new SignInPage(page, server.url);
  await signin.signIn(person.phone, person.password);
  await expect(page).toHaveURL(/\/me$/);
  await expect(me.name).toHaveText("林小青");
});

test("the device stays known across signing out, and its scanning id is kept apart", async ({ page }) => {
  const me = new MePage(page, server.url);
  // The id venue mode gives this device's scans, as it keeps it (a JSON string).
  await page.goto(server.url + "/");
  await page.evaluate(() => localStorage.setItem("qingtuan.device", JSON.stringify("door-7f3a")));
  await signIn(page, server.url, "13900000003");
  const token = await page.evaluate(() => localStorage.getItem("qingtuan.known-device"));
  expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  expect(await page.evaluate(() => localStorage.getItem("qingtuan.device"))).toBe('"door-7f3a"');

  await page.goto(server.url + "/me");
  await me.signOut.click();
  await expect(me.flash).toHaveText("已退出登录");
  expect(await page.evaluate(() => localStorage.getItem("qingtuan.known-device"))).toBe(token);

  // Signing in again presents the token, so an attack on the account does not slow this phone.
  const login = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/v1/auth/login");
  await signIn(page, server.url, "13900000003");
  expect((await login).postDataJSON().device_token).toBe(token);
  expect(await page.evaluate(() => localStorage.getItem("qingtuan.device"))).toBe('"door-7f3a"');
});

test("sign-up is checked on the device, and a registered phone is sent to sign in", async ({ page }) => {
  const signup = new SignUpPage(page, server.url);
  const sent = countRequests(page, "POST", "/api/v1/auth/signup");
  await signup.goto();

  await signup.submit.click();
  await expect(signup.errorFor("phone")).toHaveText(/此项必填/);
  await expect(signup.errorFor("consent")).toHaveText(/请阅读并同意隐私政策/);
  await expect(signup.phone).toHaveAttribute("aria-invalid", "true");
  await expect(signup.phone).toBeFocused();

  await signup.fill(newPerson({ phone: "12345", password: "12345678" }));
  await signup.submit.click();
  await expect(signup.errorFor("phone")).toHaveText(/请输入正确的 11 位手机号/);
  await expect(signup.errorFor("password")).toHaveText(/这个密码太常见/);
  // Typing in a field clears what was said about it.
  await signup.password.fill("lantern-river-2026");
  await expect(signup.errorFor("password")).toBeHidden();
  expect(sent.n).toBe(0);

  await signup.fill(newPerson({ phone: "13900000003" }));
  await signup.consent.check();
  await signup.submit.click();
  await expect(signup.message).toContainText("该手机号已注册，请直接登录");
  await signup.message.getByRole("link", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/signin$/);
});

test("under 14 the guardian section appears, and sign-up without the guardian is refused on the device", async ({ page }) => {
  const signup = new SignUpPage(page, server.url);
  const me = new MePage(page, server.url);
  const sent = countRequests(page, "POST", "/api/v1/auth/signup");
  const child = newPerson({ name: "小明", birthYear: String(new Date().getFullYear() - 10) });

  await signup.goto();
  await signup.fill(child);
  await expect(signup.guardian).toBeVisible();
  await expect(signup.guardian).toContainText("监护人同意");
  await signup.consent.check();
  await signup.submit.click();
  await expect(signup.errorFor("guardian-name")).toHaveText(/此项必填/);
  await expect(signup.errorFor("guardian-phone")).toHaveText(/此项必填/);
  await expect(signup.errorFor("guardian-consent")).toHaveText(/需要监护人勾选同意/);
  await expect(page).toHaveURL(/\/signup$/);
  expect(sent.n).toBe(0);

  // An adult year hides the section again.
  await signup.birthYear.fill("1999");
  await expect(signup.guardian).toBeHidden();
  await signup.birthYear.fill(child.birthYear);

  await signup.guardianName.fill("小明妈妈");
  await signup.guardianPhone.fill(child.phone);
  await signup.guardianConsent.check();
  await signup.submit.click();
  await expect(signup.errorFor("guardian-phone")).toHaveText(/不能与本人相同/);
  expect(sent.n).toBe(0);

  await signup.guardianPhone.fill("13600000001");
  await signup.submit.click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(me.name).toHaveText("小明");
  expect(sent.n).toBe(1);
});

test("a wrong password is refused, and signing in goes back to where the person was", async ({ page }) => {
  const signin = new SignInPage(page, server.url);
  await signin.goto("/admin");
  await signin.signIn("13900000001", "not-the-password");
  await expect(signin.message).toHaveText("手机号或密码错误");
  await expect(page).toHaveURL(/\/signin\?next=/);

  await signin.signIn("13900000001", "qingtuan-demo");
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("tab", { name: "用户管理" })).toBeVisible();

  // A next= that leaves the site is ignored. (Signed out through the app: clearing the saved
  // session under a live page races the page's own copy, which saves it again.)
  const me = new MePage(page, server.url);
  await me.goto();
  await me.signOut.click();
  await expect(me.flash).toHaveText("已退出登录");
  await signin.goto("//evil.example/");
  await signin.signIn("13900000001", "qingtuan-demo");
  await expect(page).toHaveURL(new RegExp(`^${server.url}/me$`));
});

test("offline, the app opens signed in; signing out works and signing in says it needs the network", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  const me = new MePage(page, server.url);
  await signIn(page, server.url, "13900000002");
  await expect(me.name).toHaveText("李组织");
  await app.waitForOfflineReady();

  await context.setOffline(true);
  await page.reload();
  await expect(me.name).toHaveText("李组织");
  await expect(me.accountLink).toContainText("李组织");
  await expect(me.roles).toContainText("组织者");
  await expect(me.needsSignIn).toBeHidden();

  // Actions that need the server say so.
  await me.export.click();
  await expect(page.getByTestId("export-error")).toHaveText("需要联网才能完成此操作");

  await me.signOut.click();
  await expect(me.signedOut).toBeVisible();
  await me.signedOut.getByRole("link", { name: "登录" }).click();
  const signin = new SignInPage(page, server.url);
  await signin.signIn("13900000002", "qingtuan-demo");
  await expect(signin.message).toHaveText("需要联网才能登录");

  await page.goto(server.url + "/signup");
  const signup = new SignUpPage(page, server.url);
  await signup.fill(newPerson());
  await signup.consent.check();
  await signup.submit.click();
  await expect(signup.message).toHaveText("需要联网才能注册");
});

test("a session ended elsewhere asks to sign in again and remembers who it was", async ({ page, request }) => {
  const me = new MePage(page, server.url);
  const signup = new SignUpPage(page, server.url);
  const person = newPerson({ name: "赵青" });
  await signup.goto();
  await signup.fill(person);
  await signup.consent.check();
  await signup.submit.click();
  await expect(me.name).toHaveText("赵青");

  // Another device signs out everywhere.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("qingtuan.session")).token);
  const res = await request.post(server.url + "/api/v1/auth/logout-all", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status()).toBe(204);

  await page.reload();
  await expect(me.needsSignIn).toContainText("登录已过期，请重新登录");
  // Who it was is kept: the name still shows.
  await expect(me.name).toHaveText("赵青");
  await expect(me.accountLink).toContainText("赵青");
  // It survives a reload too.
  await page.reload();
  await expect(me.needsSignIn).toBeVisible();

  await me.needsSignIn.getByRole("link", { name: "重新登录" }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fme$/);
  const signin = new SignInPage(page, server.url);
  await expect(signin.phone).toHaveValue(person.phone);
  await expect(page.getByTestId("sign-in-again-as")).toContainText("赵青");
  await signin.password.fill(person.password);
  await signin.submit.click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(me.needsSignIn).toBeHidden();
  await expect(me.name).toHaveText("赵青");
});

test("an admin makes a youth an organizer and assigns a programme; the youth sees it after a reload", async ({ page, browser }) => {
  const youthContext = await browser.newContext();
  const youth = await youthContext.newPage();
  const youthMe = new MePage(youth, server.url);
  await signIn(youth, server.url, "13900000003");
  await expect(youthMe.name).toHaveText("王青青");
  await expect(youthMe.roles).toHaveText("青年");

  // Signed out, and signed in without the role, the admin area says why it is not shown.
  await page.goto(server.url + "/admin");
  await expect(page.getByTestId("admin-sign-in")).toContainText("请先登录管理员账号");
  await youth.goto(server.url + "/admin");
  await expect(youth.getByTestId("admin-only")).toHaveText("需要管理员权限");

  await page.getByTestId("admin-sign-in").getByRole("link", { name: "登录" }).click();
  const signin = new SignInPage(page, server.url);
  await signin.signIn("13900000001", "qingtuan-demo");
  await expect(page).toHaveURL(/\/admin$/);

  const admin = new AdminUsersPage(page, server.url);
  await admin.usersTab.click();
  // Before any search: the newest accounts, the demo ones among them.
  await expect(admin.rows.filter({ hasText: "13900000003" })).toHaveCount(1);
  await expectTouchFriendly(page, "/admin users");
  const row = await admin.find("13900000003");
  await expect(row).toContainText("王青青");
  await expect(row.getByTestId("assignments")).toBeHidden();
  await row.getByRole("checkbox", { name: "组织者" }).check();
  await row.getByRole("button", { name: "保存身份" }).click();
  await expect(row.getByTestId("roles-saved")).toHaveText("已保存");
  await expect(row.getByTestId("role-tags")).toContainText("组织者");

  // Now an organizer: choose what they run.
  const assignments = row.getByTestId("assignments");
  await expect(assignments).toContainText("已选 0 个");
  await assignments.locator("summary").click();
  const first = assignments.getByRole("checkbox").first();
  await first.check();
  await expect(assignments.locator("summary")).toContainText("已选 1 个");
  await assignments.getByRole("button", { name: "保存负责项目" }).click();
  await expect(assignments.getByTestId("assignments-saved")).toHaveText("已保存");

  // What was saved is what the server has.
  await admin.open();
  const again = await admin.find("王青青");
  await expect(again.getByTestId("assignments").locator("summary")).toContainText("已选 1 个");

  // The admin cannot lock themselves out.
  const self = await admin.find("13900000001");
  await self.getByRole("checkbox", { name: "管理员" }).uncheck();
  await self.getByRole("button", { name: "保存身份" }).click();
  await expect(self.getByTestId("roles-error")).toHaveText("不能取消自己的管理员身份");

  await youth.goto(server.url + "/me");
  await youth.reload();
  await expect(youthMe.roles).toContainText("组织者");
  await youthContext.close();
});

test("a copy of my data downloads as JSON, and the password can be changed", async ({ page }) => {
  const me = new MePage(page, server.url);
  const signup = new SignUpPage(page, server.url);
  const person = newPerson({ name: "钱青" });
  await signup.goto();
  await signup.fill(person);
  await signup.consent.check();
  await signup.submit.click();
  await expect(me.name).toHaveText("钱青");

  const [download] = await Promise.all([page.waitForEvent("download"), me.export.click()]);
  expect(download.suggestedFilename()).toBe("qingtuan-my-data.json");
  const data = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(data.user.phone).toBe(person.phone);
  expect(data.user.display_name).toBe("钱青");
  expect(data.user.consent.privacy_notice_version).toBe("2026-11-22");
  await expect(page.getByTestId("export-done")).toContainText("qingtuan-my-data.json");

  await me.changePassword("wrong-password", "harbour-lights-77");
  await expect(page.getByTestId("current_password-error")).toHaveText(/当前密码不正确/);
  await me.changePassword(person.password, "harbour-lights-77", "harbour-lights-78");
  await expect(page.getByTestId("repeat_password-error")).toHaveText(/两次输入的新密码不一致/);
  await me.changePassword(person.password, "harbour-lights-77");
  await expect(page.getByTestId("password-done")).toHaveText("密码已修改，其他设备上的登录已退出");
  // This device stays signed in.
  await page.reload();
  await expect(me.name).toHaveText("钱青");
  await expect(me.needsSignIn).toBeHidden();

  await me.signOut.click();
  const signin = new SignInPage(page, server.url);
  await signin.goto();
  await signin.signIn(person.phone, person.password);
  await expect(signin.message).toHaveText("手机号或密码错误");
  await signin.signIn(person.phone, "harbour-lights-77");
  await expect(page).toHaveURL(/\/me$/);
});

test("deleting the account asks for the password and a confirmation, then forgets the session", async ({ page }) => {
  const me = new MePage(page, server.url);
  const signup = new SignUpPage(page, server.url);
  const person = newPerson({ name: "孙青" });
  await signup.goto();
  await signup.fill(person);
  await signup.consent.check();
  await signup.submit.click();
  await expect(me.name).toHaveText("孙青");
  await expectTouchFriendly(page, "/me signed in");

  const sent = countRequests(page, "DELETE", "/api/v1/me");
  await me.deleteForm.getByRole("button", { name: "注销账号" }).click();
  await expect(page.getByTestId("delete_password-error")).toHaveText(/此项必填/);
  await expect(page.getByTestId("delete_confirm-error")).toHaveText(/请勾选确认/);
  await me.deleteAccount(person.password, { confirm: false });
  await expect(page.getByTestId("delete_confirm-error")).toBeVisible();
  expect(sent.n).toBe(0);

  await me.deleteAccount("wrong-password");
  await expect(page.getByTestId("delete_password-error")).toHaveText(/密码不正确/);
  await expect(me.name).toHaveText("孙青");

  await me.deleteAccount(person.password);
  await expect(me.flash).toHaveText("账号已注销，本机上的登录信息也已清除。");
  await expect(me.signedOut).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem("qingtuan.session"))).toBeNull();

  const signin = new SignInPage(page, server.url);
  await signin.goto();
  await signin.signIn(person.phone, person.password);
  await expect(signin.message).toHaveText("手机号或密码错误");
});

test("opening 我的 signed in on a new device does not move the page when the first sync starts", async ({ page, request }) => {
  // Signed in elsewhere and carried over (as a first visit with a saved session is): nothing
  // on the device yet but the session, and a slow network.
  const res = await request.post(`${server.url}/api/v1/auth/login`, {
    data: { phone: "13900000003", password: "qingtuan-demo" },
  });
  expect(res.ok()).toBe(true);
  const auth = await res.json();
  await page.goto(`${server.url}/healthz`);
  await page.evaluate((saved) => localStorage.setItem("qingtuan.session", saved), JSON.stringify({
    token: auth.token, user: auth.user, expires_at: auth.expires_at, needs_sign_in: false,
  }));
  await page.route("**/api/v1/**", async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await observeLayoutShifts(page);
  await page.goto(`${server.url}/me`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的");
  await expect(page.getByTestId("sync-status")).toContainText("已同步");
  const shifts = await layoutShifts(page);
  expect(shifts, "layout shifts opening 我的").toEqual([]);
});

test("the account screens fit a 360 px phone with big enough touch targets", async ({ page }) => {
  for (const path of ["/signin", "/signup", "/privacy", "/me"]) {
    await page.goto(server.url + path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectTouchFriendly(page, path);
  }
  const signup = new SignUpPage(page, server.url);
  await signup.goto();
  await signup.birthYear.fill(String(new Date().getFullYear() - 9));
  await signup.submit.click();
  await expect(signup.guardian).toBeVisible();
  await expectTouchFriendly(page, "/signup with errors and the guardian section");
  // Every input has a label.
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input")]
      .filter((i) => !i.labels || i.labels.length === 0)
      .map((i) => i.outerHTML.slice(0, 80)),
  );
  expect(unlabelled).toEqual([]);
});

test("the account screens switch to English", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await page.goto(server.url + "/signup");
  await app.langSwitch.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create a Qingtuan account");
  await expect(page.getByTestId("privacy-notice")).toContainText("2. What we collect");
  await page.getByRole("button", { name: "Agree and sign up" }).click();
  await expect(page.getByTestId("consent-error")).toHaveText(/Please read and agree to the privacy notice/);
  await app.langSwitch.click();
  await expect(page.getByTestId("consent-error")).toHaveText(/请阅读并同意隐私政策/);
});
