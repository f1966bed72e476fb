// CAS tickets in the database every node shares (PGlite and PostgreSQL): two /cas/login at the same
// moment in one session make one TGT; a service ticket presented twice at once validates once;
// and single logout is swept once however many sweeps run together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { sweepEndedCasSessions } from '../../src/cas/service.ts';

const SERVICE = 'https://xj.example.edu/app';

for (const storage of storageKinds()) {
  test(`${storage}: one TGT per session, one successful validation per ticket, one logout per platform`, async () => {
    const t = await getTestInstance({ storage });
    try {
      await addCasPlatform(
        { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
        { name: '学籍档案', services: [SERVICE], proxy: false, requiresRealname: false, scopes: ['phone'], idNumberAccess: 'none' },
        false,
      );
      const person = await t.registerPhone();
      const login = `/cas/login?service=${encodeURIComponent(SERVICE)}`;
      const consent = await person.agent.get(login);
      assert.match(consent.body, /id="consent-allow"/);
      assert.equal((await person.agent.submit('/cas/consent', { service: SERVICE })).status, 303);

      const issued = await Promise.all(Array.from({ length: 6 }, () => person.agent.get(login)));
      const tickets = issued.map((p) => new URL(p.location!).searchParams.get('ticket')!);
      assert.equal(new Set(tickets).size, 6);
      const tgts = await t.db.selectFrom('cas_tickets').select('ticket_hash').where('kind', '=', 'TGT').execute();
      assert.equal(tgts.length, 1, 'one TGT for the session');

      const validate = () => t.app.inject({ method: 'GET', url: `/cas/p3/serviceValidate?ticket=${tickets[0]}&service=${encodeURIComponent(SERVICE)}` });
      const answers = await Promise.all(Array.from({ length: 6 }, validate));
      assert.equal(answers.filter((a) => a.body.includes('<cas:authenticationSuccess>')).length, 1, 'validated once');
      assert.equal(answers.filter((a) => a.body.includes('code="INVALID_TICKET"')).length, 5);
      for (const ticket of tickets.slice(1, 3))
        await t.app.inject({ method: 'GET', url: `/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(SERVICE)}` });

      await person.agent.submit('/logout', {});
      const swept = await Promise.all([sweepEndedCasSessions(t.services.cas), sweepEndedCasSessions(t.services.cas), sweepEndedCasSessions(t.services.cas)]);
      assert.equal(
        swept.reduce((a, b) => a + b, 0),
        3,
        'the three validated tickets get one LogoutRequest each, whichever sweep sent it',
      );
      const queued = await t.db.selectFrom('outbox').select(['recipient', 'body']).where('channel', '=', 'cas_logout').execute();
      assert.equal(queued.length, 3);
      assert.ok(queued.every((m) => m.recipient === SERVICE));
      assert.deepEqual(new Set(queued.map((m) => /<samlp:SessionIndex>([^<]+)</.exec(m.body)![1])), new Set(tickets.slice(0, 3)));
      assert.equal((await t.db.selectFrom('cas_tickets').select('ticket_hash').execute()).length, 0, 'the TGT and its tickets are gone');
    } finally {
      await t.close();
    }
  });
}
