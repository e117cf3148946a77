// Page objects for the account screens: 注册, 登录, 我的 and 管理后台 · 用户管理.
const { expect } = require("@playwright/test");

let made = 0;

/** A sign-up that passes every rule, with a phone no one has; `overrides` changes fields. */
function newPerson(overrides = {}) {
  made += 1;
  return {
    phone: "137" + String((Date.now() + made * 7919) % 100_000_000).padStart(8, "0"),
    password: "lantern-river-2026",
    name: "测试青年",
    birthYear: "2000",
    ...overrides,
  };
}

class SignUpPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.form = page.getByTestId("signup-form");
    this.phone = this.form.getByLabel("手机号", { exact: true });
    this.password = this.form.getByLabel("密码", { exact: true });
    this.name = this.form.getByLabel("姓名或昵称");
    this.birthYear = this.form.getByLabel("出生年份");
    this.privacy = this.form.getByRole("region", { name: "青团隐私政策" });
    this.consent = this.form.getByRole("checkbox", { name: "我已阅读并同意《青团隐私政策》" });
    this.guardian = this.form.getByTestId("guardian-section");
    this.guardianName = this.form.getByLabel("监护人姓名");
    this.guardianPhone = this.form.getByLabel("监护人手机号");
    this.guardianConsent = this.form.getByRole("checkbox", { name: /我是该用户的监护人/ });
    this.submit = this.form.getByRole("button", { name: "同意并注册" });
    this.message = page.getByTestId("signup-message");
  }

  async goto() {
    await this.page.goto(this.baseUrl + "/signup");
    await expect(this.phone).toBeVisible();
  }

  async fill(person) {
    await this.phone.fill(person.phone);
    await this.password.fill(person.password);
    await this.name.fill(person.name);
    await this.birthYear.fill(person.birthYear);
  }

  /** The error text under the field whose input has `id`. */
  errorFor(id) {
    return this.page.getByTestId(`${id}-error`);
  }
}

class SignInPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.form = page.getByTestId("signin-form");
    this.phone = this.form.getByLabel("手机号");
    this.password = this.form.getByLabel("密码");
    this.submit = this.form.getByRole("button", { name: "登录" });
    this.message = page.getByTestId("signin-message");
  }

  async goto(next) {
    await this.page.goto(this.baseUrl + "/signin" + (next ? `?next=${encodeURIComponent(next)}` : ""));
    await expect(this.phone).toBeVisible();
  }

  async signIn(phone, password) {
    await this.phone.fill(phone);
    await this.password.fill(password);
    await this.submit.click();
  }
}

class MePage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.profile = page.getByTestId("profile-card");
    this.name = page.getByTestId("profile-name");
    this.roles = this.profile.getByTestId("role-tags");
    this.signedOut = page.getByTestId("signed-out-card");
    this.flash = page.getByTestId("me-flash");
    this.signOut = page.getByRole("button", { name: "退出登录", exact: true });
    this.signOutAll = page.getByRole("button", { name: "退出所有设备" });
    this.export = page.getByRole("button", { name: "下载我的数据" });
    this.passwordForm = page.getByTestId("password-form");
    this.deleteForm = page.getByTestId("delete-form");
    this.accountLink = page.locator("header").getByTestId("account-link");
    this.needsSignIn = page.getByTestId("needs-sign-in");
  }

  async goto() {
    await this.page.goto(this.baseUrl + "/me");
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("我的");
  }

  async changePassword(current, next, repeat = next) {
    await this.passwordForm.getByLabel("当前密码").fill(current);
    await this.passwordForm.getByLabel("新密码", { exact: true }).fill(next);
    await this.passwordForm.getByLabel("再次输入新密码").fill(repeat);
    await this.passwordForm.getByRole("button", { name: "修改密码" }).click();
  }

  async deleteAccount(password, { confirm = true } = {}) {
    await this.deleteForm.getByLabel("密码").fill(password);
    await this.deleteForm.getByRole("checkbox").setChecked(confirm);
    await this.deleteForm.getByRole("button", { name: "注销账号" }).click();
  }
}

class AdminUsersPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.usersTab = page.getByRole("tab", { name: "用户管理" });
    this.search = page.getByRole("searchbox", { name: "按手机号或姓名搜索" });
    this.searchButton = page.getByRole("button", { name: "搜索", exact: true });
    this.rows = page.getByTestId("user-row");
  }

  async open() {
    await this.page.goto(this.baseUrl + "/admin");
    await this.usersTab.click();
    await expect(this.usersTab).toHaveAttribute("aria-selected", "true");
  }

  async find(query) {
    await this.search.fill(query);
    await this.searchButton.click();
    await expect(this.rows).toHaveCount(1);
    return this.rows.first();
  }
}

/** Signs in through the screen and waits to land on `landing`. */
async function signIn(page, baseUrl, phone, password = "qingtuan-demo", next) {
  const signin = new SignInPage(page, baseUrl);
  await signin.goto(next);
  await signin.signIn(phone, password);
  await expect(page).toHaveURL(new RegExp(`${next ? next.replace("/", "\\/") : "\\/me"}$`));
}

/** Every visible button and link is at least 44 × 44 px, none overlap, nothing scrolls sideways. */
async function expectTouchFriendly(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${where}`).toBeLessThanOrEqual(0);
  const problems = await page.evaluate(() => {
    const els = [...document.querySelectorAll("button, a, [role=button], summary, input")].filter(
      (el) => el.offsetParent !== null && el.type !== "checkbox" && el.type !== "radio",
    );
    // A checkbox or radio button is touched through its label: the label is the target.
    const choices = [...document.querySelectorAll("input[type=checkbox], input[type=radio]")]
      .filter((el) => el.offsetParent !== null)
      .map((el) => el.closest("label") || el);
    const small = [...els, ...choices]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `small: ${el.outerHTML.slice(0, 80)} ${r.width}x${r.height}`);
    // The tab bar (fixed) and the header (sticky) stay over the page as it scrolls: what
    // scrolls beneath them is not overlapping them, so targets are compared within their own
    // layer (the tab bar, the header, or the page).
    const layerOf = (el) => (el.closest(".tab-bar") ? 0 : el.closest(".app-header") ? 1 : 2);
    const layers = [0, 1, 2].map((n) => els.filter((el) => layerOf(el) === n));
    const overlaps = [];
    for (const content of layers) {
      for (let i = 0; i < content.length; i++) {
        for (let j = i + 1; j < content.length; j++) {
          if (content[i].contains(content[j]) || content[j].contains(content[i])) continue;
          const a = content[i].getBoundingClientRect();
          const b = content[j].getBoundingClientRect();
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1) overlaps.push(`overlap: ${content[i].outerHTML.slice(0, 60)} / ${content[j].outerHTML.slice(0, 60)}`);
        }
      }
    }
    return [...small, ...overlaps];
  });
  expect(problems, `touch targets on ${where}`).toEqual([]);
}

module.exports = { SignUpPage, SignInPage, MePage, AdminUsersPage, newPerson, signIn, expectTouchFriendly };
