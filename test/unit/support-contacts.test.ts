// The customer-service line a message gains where it says 联系客服 / contact support.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSupportContacts } from '../../src/notifications/templates/support.ts';
import { accountNotice, passwordChanged } from '../../src/notifications/templates/index.ts';

const support = { phone: '010-8219 9588', email: 'kefu@tongxing.example', hours: '工作日 9:00–17:00' };

test('an email names every configured way in both languages; an SMS only the phone; none configured changes nothing', () => {
  const mail = withSupportContacts(accountNotice('email', 'a@example.com', passwordChanged(new Date('2026-01-01T00:00:00Z'))), support);
  assert.match(mail.body, /联系客服（电话 010-8219 9588，邮箱 kefu@tongxing.example，工作日 9:00–17:00）。/);
  assert.match(mail.body, /contact support \(phone 010-8219 9588, email kefu@tongxing.example, 工作日 9:00–17:00\)\./);
  const sms = withSupportContacts(accountNotice('sms', '13800000000', passwordChanged(new Date())), { ...support, phone: undefined });
  assert.match(sms.body, /联系客服（邮箱 kefu@tongxing.example）。$/);
  const plain = accountNotice('sms', '13800000000', passwordChanged(new Date()));
  assert.equal(withSupportContacts(plain, { phone: undefined, email: undefined, hours: undefined }), plain);
});
