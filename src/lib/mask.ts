// Contacts shown to anyone but their owner are masked, as the seeds show them (186****1234,
// ab***@example.com, 110***********002X).

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***';
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length - 1) || 1)}***${email.slice(at)}`;
}

/** A phone or an address, masked as its kind is. */
export function maskContact(channel: 'phone' | 'email', value: string): string {
  return channel === 'phone' ? maskPhone(value) : maskEmail(value);
}
