// A passkey as the second step: the step page's passkey way, turning the second factor on with
// passkeys alone, turning it off with a passkey, and the rule that keeps the last passkey.
export const mfaPasskey = {
  'mfa_passkey.step_button': 'Verify with a passkey',
  'mfa_passkey.step_hint': 'Use a passkey you added to this account (phone, computer or security key).',
  'mfa_passkey.step_intro_passkey_way':
    'Your account uses a passkey as its second step: choose “Verify with a passkey” below. Without your passkey at hand, enter a recovery code.',
  'mfa_passkey.not_yours': 'This passkey does not belong to the account signing in. Use a passkey of this account, or enter a recovery code.',
  'mfa_passkey.not_verified': 'The passkey could not be verified. Try again, or enter a code or a recovery code.',
  'mfa_passkey.enable_title': 'A passkey as the second step',
  'mfa_passkey.enable_intro':
    'You can turn two-step verification on without an authenticator app: after a password or SMS code, you confirm with a passkey you added.',
  'mfa_passkey.enable_submit': 'Turn on with my passkeys',
  'mfa_passkey.enable_needs_passkey': 'Add a passkey under Passkeys first, then turn two-step verification on with it.',
  'mfa_passkey.none': 'You have no passkey yet, so two-step verification cannot be turned on with passkeys.',
  'mfa_passkey.status_on': 'On (since {date}): after a password or SMS code, signing in also needs one of your passkeys.',
  'mfa_passkey.add_totp': 'Also add an authenticator app',
  'mfa_passkey.disable_button': 'Confirm with a passkey and turn off',
  'mfa_passkey.last_passkey':
    'This is the last passkey of your only second step, so it cannot be removed now. Add another passkey or an authenticator app first, or turn two-step verification off.',
  'mfa_passkey.enabled': 'Two-step verification is on: signing in will ask for your passkey.',
};
