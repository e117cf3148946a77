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

let othersSignedUp = 0;

/**
 * Signs up `n` new people for an offering through the real API (each a new account pushing a
 * `registration.request` with `answers`), taking places as other phones would. Phones are new
 * on every call.
 */
async function signUpOthers(request, baseUrl, offeringId, n, answers = {}) {
  for (let i = 0; i < n; i++) {
    const k = othersSignedUp++;
    const signup = await request.post(baseUrl + "/api/v1/auth/signup", {
      data: {
        phone: `136${String(k).padStart(8, "0")}`,
        password: "river-patrol-2026",
        display_name: `志愿者${k}`,
        birth_year: 1999,
        consent: { version: "2026-11-22", accepted: true },
      },
    });
    expect(signup.status(), await signup.text()).toBe(201);
    const { token } = await signup.json();
    const push = await request.post(baseUrl + "/api/v1/sync/push", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        schema_version: 1,
        client_id: crypto.randomUUID(),
        client_time: Date.now(),
        mutations: [
          {
            id: 1,
            name: "registration.request",
            args: { registration_id: crypto.randomUUID(), offering_id: offeringId, answers },
            created_at: Date.now(),
          },
        ],
      },
    });
    expect(push.ok()).toBeTruthy();
    const { outcomes } = await push.json();
    expect(outcomes[0].outcome, JSON.stringify(outcomes[0])).toBe("applied");
  }
}

/** The public catalogue's entry for an offering, as the server has it now. */
async function publicOffering(request, baseUrl, id) {
  const res = await request.get(baseUrl + "/api/v1/catalogue");
  expect(res.ok()).toBeTruthy();
  return (await res.json()).offerings.find((o) => o.id === id);
}

/** Makes the page sync and refresh its list now, and waits until both answers arrived. */
async function syncNow(page) {
  const answered = Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/catalogue"),
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/sync/pull"),
  ]);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await answered;
}

module.exports = { ProgrammesPage, serverRegistrations, signUpOthers, publicOffering, syncNow };
