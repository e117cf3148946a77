// Page object for signing up for programmes and watching them sync.
const { expect } = require("@playwright/test");

class ProgrammesPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.syncStatus = page.getByTestId("sync-status");
    this.notices = page.getByTestId("notices");
  }

  programme(title) {
    return this.page.getByTestId("programme").filter({ hasText: title });
  }

  state(title) {
    return this.programme(title).getByTestId("registration-state");
  }

  async signUp(title) {
    await this.programme(title).getByRole("button", { name: "报名", exact: true }).click();
  }

  async cancel(title) {
    await this.programme(title).getByRole("button", { name: "取消报名" }).click();
    await this.programme(title).getByRole("button", { name: "确认取消" }).click();
  }

  async expectSynced() {
    await expect(this.syncStatus).toContainText("已同步");
  }
}

/** The signed-in person's registrations as the server has them (its data export). */
async function serverRegistrations(request, baseUrl, phone, password = "qingtuan-demo") {
  const login = await request.post(baseUrl + "/api/v1/auth/login", { data: { phone, password } });
  expect(login.ok()).toBeTruthy();
  const { token } = await login.json();
  const res = await request.get(baseUrl + "/api/v1/me/export", { headers: { authorization: `Bearer ${token}` } });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).registrations;
}

module.exports = { ProgrammesPage, serverRegistrations };
