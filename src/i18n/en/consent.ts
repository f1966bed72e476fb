// Consent: the user agreement and the personal-information policy at every way in, agreeing again
// to a new version, and the separate consent where sensitive information is collected (PIPL art. 29).
import type { consent as zh } from '../zh-CN/consent.ts';

export const consent: Record<keyof typeof zh, string> = {
  'consent.terms': 'User agreement',
  'consent.privacy': 'Personal information policy',
  'consent.agree_before': 'I have read and agree to the',
  'consent.required': 'Please read and tick your agreement to the user agreement and the personal information policy',
  'consent.version': 'Version: {version}',
  'consent.other_document': 'See also',
  'consent.unknown_document': 'There is no such document.',
  'consent.renew_title': 'Our terms have changed',
  'consent.renew_intro': 'The documents below have a new version. Please read it and agree to continue.',
  'consent.renew_accepted_before': 'The version you agreed to before: {version}',
  'consent.renew_never': 'You have not agreed to this document before.',
  'consent.renew_submit': 'Agree and continue',
  'consent.renew_decline': 'I do not agree — sign out',
  'consent.renew_rights_before': 'Without agreeing you can still',
  'consent.renew_rights_export': 'download your data',
  'consent.renew_rights_or': ' or',
  'consent.renew_rights_leave': 'deregister the account',
  'consent.renew_rights_after': '.',
  'periods.title': 'How long personal information is kept',
  'periods.intro':
    'These are the periods this service is set to keep each kind of information. When a period ends the information is deleted or anonymised; records of what happened, without personal information, stay as long as the security audit trail.',
  'periods.what': 'Information',
  'periods.kept': 'Kept',
  'periods.unactivated': 'Registrations never activated',
  'periods.evidence': 'ID photos, and what the face-check provider returned',
  'periods.cooling_off': 'Cooling-off of a deregistration (it can be cancelled meanwhile)',
  'periods.deregistered': "A deregistered account's personal information",
  'periods.audit': 'The security audit trail (sign-ins, changes)',
  'periods.outbox': 'Records of SMS and email sent',
  'periods.ended': 'Verification codes, captchas, sign-in sessions, password-reset requests, sign-on tickets',
  'periods.export': 'A copy of your data (Download my data)',
  'periods.account': 'Account, real-name information, consent records',
  'periods.days_after_registering': '{days} days after registering',
  'periods.days_after_decision': '{days} days after the case is decided',
  'periods.days_after_deregistration': '{days} days after deregistration',
  'periods.support': 'Support requests filed without signing in (contact, words, images)',
  'periods.enterprise': 'Enterprise look-up requests no account was matched to (contact person, letter)',
  'periods.days_after_closing': '{days} days after the request was closed or answered',
  'periods.days_after_handling': '{days} days after the request was handled',
  'periods.days_after_ending': '{days} days after they expire or end',
  'periods.days': '{days} days',
  'periods.months': '{months} months',
  'periods.export_kept': 'the file 24 hours, the request (no data) 30 days',
  'periods.while_account': "while the account lives; after deregistration, as a deregistered account's personal information",
  'consent.due': 'The user agreement or the personal information policy has changed: read and agree to the new version before going on.',
  'consent.version_changed': 'A newer version of the documents has been published; please read it before agreeing.',
  'consent.sensitive_required': 'Please tick your consent to the processing of this sensitive information',
  'consent.sensitive.id_number_v1':
    'I consent to Tongxing processing my ID number (sensitive personal information) to verify who I am, to keep one ID number with one live account, and to give it to platforms I authorise; it is stored encrypted.',
  'consent.sensitive.id_number':
    'I consent to Tongxing processing my ID number (sensitive personal information) and giving my name and ID number to the identity-check provider “{operator}”, which compares them with the public-security registry, to verify who I am; Tongxing also uses the number to keep one ID number with one live account and gives it to platforms I authorise; it is stored encrypted.',
  'consent.sensitive.id_number_unchecked':
    'I consent to Tongxing processing my ID number (sensitive personal information) to check its format, to keep one ID number with one live account, and to give it to platforms I authorise; Tongxing gives my name and ID number to no other organisation for checking; it is stored encrypted.',
  'consent.sensitive.id_photo':
    'I consent to Tongxing processing the photos of my ID I upload (sensitive personal information) only for staff to check that I am the holder of this ID number; they are erased once the case is decided and the retention period has passed.',
  'consent.sensitive.liveness_v1':
    'I consent to Tongxing having a face-check service process my face (sensitive personal information) only to check that I am the holder of this ID number; Tongxing keeps the result, not the images, and erases it after the retention period.',
  'consent.sensitive.liveness':
    'I consent to Tongxing giving my name and ID number to the face-check provider “{operator}”, which captures my face (sensitive personal information) and compares it with them, only to check that I am the holder of this ID number; Tongxing keeps no images, only the verdict (with the account, as the ground on which the ID number is held), and erases anything else the provider returns after the retention period.',
};
