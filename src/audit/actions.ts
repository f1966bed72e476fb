// Every action the audit trail records, with what a reader sees for it: its label in both
// languages, whether the person sees it in their own 安全记录 (security log), and whether it
// stands out there as a warning. recordAudit takes only these names, so an action cannot be
// written without a label; the console's timelines and audit page read the same table.
import type { Lang } from '../i18n/index.ts';

export interface AuditActionInfo {
  label: Record<Lang, string>;
  /** Shown to the person in their security log (staff see every action). */
  personal?: true;
  /**
   * Staff's own work (viewing, claiming, their sign-ins) or what no person's log can show: never
   * in a security log. Every action is either personal or staffOnly (test/integration/guidance
   * checks), so a new action cannot fall through to a nameless "other change" line.
   */
  staffOnly?: true;
  /** A failed or suspicious attempt: marked on the security log. */
  warning?: true;
}

export const AUDIT_ACTIONS = {
  'account.activated': { label: { 'zh-CN': '激活帐号', en: 'Account activated' }, personal: true },
  'account.activation_resent': { label: { 'zh-CN': '重新发送激活邮件', en: 'Activation mail sent again' }, personal: true },
  'account.unactivated_removed': {
    label: { 'zh-CN': '未激活的注册按保留期限删除', en: 'Unactivated registration removed (retention period)' },
    staffOnly: true,
  },
  'account.deregistered': { label: { 'zh-CN': '帐号注销', en: 'Account deregistered' }, personal: true },
  'account.email_bound': { label: { 'zh-CN': '绑定邮箱', en: 'Email address bound' }, personal: true },
  'account.email_changed': { label: { 'zh-CN': '更换邮箱', en: 'Email address changed' }, personal: true },
  'account.email_confirmed': { label: { 'zh-CN': '确认邮箱', en: 'Email confirmed' }, personal: true },
  'account.password_change_failed': {
    label: { 'zh-CN': '修改密码失败（当前密码错误）', en: 'Password change refused (wrong current password)' },
    personal: true,
    warning: true,
  },
  'account.password_changed': { label: { 'zh-CN': '修改密码', en: 'Password changed' }, personal: true },
  'account.password_reset': { label: { 'zh-CN': '找回密码并重设', en: 'Password reset through recovery' }, personal: true },
  'account.phone_bound': { label: { 'zh-CN': '绑定手机号', en: 'Mobile number bound' }, personal: true },
  'account.phone_changed': { label: { 'zh-CN': '更换手机号', en: 'Mobile number changed' }, personal: true },
  'account.registered': { label: { 'zh-CN': '注册帐号', en: 'Account registered' }, personal: true },
  'account.reinstated': { label: { 'zh-CN': '客服撤销错误的注销，帐号恢复', en: 'Wrongful deregistration reversed by staff: account back' }, personal: true },
  'account.restored': { label: { 'zh-CN': '客服恢复帐号', en: 'Restored by staff' }, personal: true },
  'account.sessions_ended_by_staff': { label: { 'zh-CN': '客服结束所有会话', en: 'Sessions ended by staff' }, personal: true },
  'account.suspended': { label: { 'zh-CN': '客服停用帐号', en: 'Suspended by staff' }, personal: true },

  'dispute.claimed': { label: { 'zh-CN': '客服领取注销申诉', en: 'Deregistration dispute claimed' }, staffOnly: true },
  'dispute.dismissed': { label: { 'zh-CN': '注销申诉不予支持', en: 'Deregistration dispute dismissed' }, personal: true },
  'dispute.viewed': { label: { 'zh-CN': '客服查看注销申诉', en: 'Deregistration dispute viewed by staff' }, staffOnly: true },
  'dispute.opened': { label: { 'zh-CN': '对帐号注销提出申诉（这不是我本人操作）', en: 'Deregistration disputed (this was not me)' }, personal: true },
  'dispute.reversed': { label: { 'zh-CN': '注销申诉成立，注销已撤销', en: 'Deregistration dispute upheld: reversed' }, personal: true },

  'export.downloaded': { label: { 'zh-CN': '下载个人信息副本', en: 'Copy of personal data downloaded' }, personal: true },
  'export.failed': { label: { 'zh-CN': '个人信息副本生成失败', en: 'Copy of personal data could not be prepared' }, personal: true },
  'export.ready': { label: { 'zh-CN': '个人信息副本已准备好', en: 'Copy of personal data ready' }, personal: true },
  'export.requested': { label: { 'zh-CN': '申请下载个人信息', en: 'Copy of personal data requested' }, personal: true },

  'enterprise.letter_viewed': { label: { 'zh-CN': '查看企业申请函', en: 'Enterprise letter viewed' }, staffOnly: true },
  'enterprise.lookup_requested': { label: { 'zh-CN': '提交企业找回申请', en: 'Enterprise look-up requested' }, personal: true },
  'resolution.evidence_erased': { label: { 'zh-CN': '核验材料按保留期限删除', en: 'Verification evidence deleted (retention period)' }, staffOnly: true },
  'enterprise.registration_lapsed': { label: { 'zh-CN': '未激活的企业注册作废', en: 'Unactivated enterprise registration voided' }, staffOnly: true },
  'enterprise.request_claimed': { label: { 'zh-CN': '领取企业申请', en: 'Enterprise request claimed' }, staffOnly: true },
  'enterprise.request_removed': {
    label: { 'zh-CN': '无对应帐号的企业申请按保留期限删除', en: 'Enterprise request without an account removed (retention period)' },
    staffOnly: true,
  },
  'enterprise.request_rejected': { label: { 'zh-CN': '企业申请不予办理', en: 'Enterprise request refused' }, personal: true },
  'enterprise.reset_started': {
    label: { 'zh-CN': '客服按企业申请函发送重设密码链接', en: 'Reset link sent by staff on an enterprise letter' },
    personal: true,
  },
  'enterprise.confirmed': { label: { 'zh-CN': '客服按企业申请函确认企业帐号', en: 'Enterprise account confirmed by staff on a letter' }, personal: true },
  'enterprise.username_sent': { label: { 'zh-CN': '客服按企业申请函发送用户名', en: 'Username sent by staff on an enterprise letter' }, personal: true },

  'identity.bound_by_classmate': { label: { 'zh-CN': '同学协助绑定实名', en: 'Real name bound with a classmate’s help' }, personal: true },
  'identity.bound_email': { label: { 'zh-CN': '绑定邮箱（实名信息）', en: 'Email bound (real-name step)' }, personal: true },
  'identity.bound_phone': { label: { 'zh-CN': '实名信息绑定（手机）', en: 'Real name bound (phone)' }, personal: true },
  'identity.classmate_requested': { label: { 'zh-CN': '请求同学协助绑定实名', en: 'Asked a classmate to help bind the real name' }, personal: true },
  'identity.decrypted': { label: { 'zh-CN': '查看完整证件号码', en: 'Full ID number viewed' }, personal: true },
  'identity.marked_wrong': { label: { 'zh-CN': '客服标记证件号码错误', en: 'ID number marked wrong by staff' }, personal: true },
  'identity.number_handed_on': {
    label: {
      'zh-CN': '另一帐号注销，证件号码归本帐号（证件号码重复已解决）',
      en: 'The other account left; the ID number is this account’s (duplicate resolved)',
    },
    personal: true,
  },
  'identity.resolution_passed': { label: { 'zh-CN': '身份核验通过（证件号码重复已解决）', en: 'Identity verified (duplicate ID resolved)' }, personal: true },
  'identity.resolution_reversed': {
    label: { 'zh-CN': '身份核验被撤销（他人的注销申诉成立），需重新验证', en: 'Identity verification reversed (another’s dispute upheld): verify again' },
    personal: true,
    warning: true,
  },
  'identity.saved': { label: { 'zh-CN': '填写基本信息', en: 'Basic information saved' }, personal: true },

  'inbox.accepted': { label: { 'zh-CN': '同意收件箱中的请求', en: 'Accepted an inbox request' }, personal: true },
  'inbox.declined': { label: { 'zh-CN': '拒绝收件箱中的请求', en: 'Declined an inbox request' }, personal: true },

  'records.imported': { label: { 'zh-CN': '导入学籍学历数据', en: 'Records imported' }, staffOnly: true },
  'records.searched': { label: { 'zh-CN': '客服查询学籍学历', en: 'Records searched by staff' }, staffOnly: true },

  'recovery.identity_mismatch': { label: { 'zh-CN': '找回密码时实名信息不符', en: 'Wrong real-name answer during recovery' }, personal: true, warning: true },
  'recovery.password_requested': { label: { 'zh-CN': '申请找回密码', en: 'Password reset requested' }, personal: true },
  'recovery.reset_started_by_staff': { label: { 'zh-CN': '客服发送重设密码链接', en: 'Password-reset link sent by staff' }, personal: true },
  'recovery.username_limited': { label: { 'zh-CN': '找回用户名超过当日次数', en: 'Username reminder over the daily limit' }, personal: true },
  'recovery.username_no_contact': { label: { 'zh-CN': '找回用户名：帐号没有已验证的联系方式', en: 'Username reminder: no proved contact' }, personal: true },
  'recovery.username_requested': { label: { 'zh-CN': '申请找回用户名', en: 'Username reminder requested' }, personal: true },
  'recovery.username_sent': { label: { 'zh-CN': '找回用户名', en: 'Username reminder sent' }, personal: true },

  'resolution.app_failed': { label: { 'zh-CN': 'APP 自助验证未通过', en: 'App verification failed' }, personal: true },
  'resolution.app_passed': { label: { 'zh-CN': 'APP 自助验证通过', en: 'App verification passed' }, personal: true },
  'resolution.app_started': { label: { 'zh-CN': '开始 APP 自助验证', en: 'App verification started' }, personal: true },
  'resolution.notice_started': {
    label: { 'zh-CN': '同学已确认，进入公示期（现持有人可提出异议）', en: 'Classmates confirmed: notice period for the current holders' },
    personal: true,
  },
  'resolution.notice_cancelled': {
    label: { 'zh-CN': '同学协助验证的公示案件关闭（已不需要）', en: 'Classmate case in its notice period closed (no longer needed)' },
    personal: true,
  },
  'resolution.objected': { label: { 'zh-CN': '对他人的同学协助验证提出异议', en: 'Objected to a classmate-assisted verification' }, personal: true },
  'resolution.records_tried': {
    label: { 'zh-CN': '提交学籍或学历信息核验（途径4）', en: 'Student or degree record submitted for checking (path 4)' },
    personal: true,
  },
  'resolution.photos_submitted': { label: { 'zh-CN': '上传证件照片等待审核', en: 'ID photos submitted for review' }, personal: true },
  'resolution.photos_withdrawn': { label: { 'zh-CN': '撤回证件照片审核申请，照片已删除', en: 'ID photo review withdrawn; photos deleted' }, personal: true },
  'resolution.vouch_requested': { label: { 'zh-CN': '请求同学协助验证', en: 'Asked a classmate to vouch' }, personal: true },
  'resolution.vouched': { label: { 'zh-CN': '为同学协助验证', en: 'Vouched for a classmate' }, personal: true },

  'consent.renewed': {
    label: { 'zh-CN': '同意新版用户协议和个人信息保护政策', en: 'Agreed to the new user agreement and personal information policy' },
    personal: true,
  },
  'consent.sensitive_given': { label: { 'zh-CN': '同意处理敏感个人信息', en: 'Consented to the processing of sensitive information' }, personal: true },
  'leaving.cancelled': { label: { 'zh-CN': '撤销注销', en: 'Deregistration cancelled' }, personal: true },
  'leaving.completed': { label: { 'zh-CN': '冷静期结束，帐号按本人申请注销', en: 'Deregistered at own request after cooling-off' }, personal: true },
  'leaving.erased': { label: { 'zh-CN': '注销帐号的个人信息已删除', en: 'Personal information of deregistered account erased' }, staffOnly: true },
  'leaving.requested': { label: { 'zh-CN': '申请注销帐号', en: 'Deregistration requested' }, personal: true },
  'leaving.resumed': {
    label: { 'zh-CN': '注销不再需要等待，数天后生效', en: 'Deregistration no longer waits; it takes effect in a few days' },
    personal: true,
  },
  'leaving.waiting': {
    label: { 'zh-CN': '冷静期已结束，注销需等待停用或证件重复处理结束', en: 'Cooling-off over; deregistration waits for a suspension or duplicate-ID case' },
    personal: true,
  },
  'mfa.code_failed': {
    label: { 'zh-CN': '两步验证失败（动态口令或恢复码错误）', en: 'Two-step verification failed (wrong code)' },
    personal: true,
    warning: true,
  },
  'mfa.disabled': { label: { 'zh-CN': '关闭两步验证', en: 'Two-step verification turned off' }, personal: true },
  'mfa.enabled': { label: { 'zh-CN': '开启两步验证（身份验证器）', en: 'Two-step verification turned on (authenticator app)' }, personal: true },
  'mfa.passkey_enabled': { label: { 'zh-CN': '开启两步验证（通行密钥）', en: 'Two-step verification turned on (passkey)' }, personal: true },
  'mfa.recovery_codes_renewed': { label: { 'zh-CN': '重新生成两步验证恢复码', en: 'New recovery codes made' }, personal: true },
  'mfa.removal_cancelled': { label: { 'zh-CN': '关闭两步验证的申请已取消', en: 'Request to turn off two-step verification cancelled' }, personal: true },
  'mfa.removal_requested': {
    label: { 'zh-CN': '通过找回密码申请关闭两步验证（等待期内）', en: 'Asked through recovery to turn off two-step verification (waiting period)' },
    personal: true,
    warning: true,
  },
  'mfa.removed_after_wait': {
    label: { 'zh-CN': '等待期满，两步验证已按申请关闭', en: 'Two-step verification turned off after the waiting period' },
    personal: true,
    warning: true,
  },
  'passkey.added': { label: { 'zh-CN': '添加通行密钥', en: 'Passkey added' }, personal: true },
  'passkey.removed': { label: { 'zh-CN': '删除通行密钥', en: 'Passkey removed' }, personal: true },
  'passkey.renamed': { label: { 'zh-CN': '通行密钥改名', en: 'Passkey renamed' }, personal: true },
  'passkey.sign_in_failed': {
    label: { 'zh-CN': '通行密钥登录失败（验证未通过）', en: 'Failed passkey sign-in (not verified)' },
    personal: true,
    warning: true,
  },

  'platform.added': { label: { 'zh-CN': '添加平台', en: 'Platform added' }, staffOnly: true },
  'platform.disabled': { label: { 'zh-CN': '停用平台', en: 'Platform disabled' }, staffOnly: true },
  'platform.enabled': { label: { 'zh-CN': '启用平台', en: 'Platform enabled' }, staffOnly: true },
  'platform.logo_changed': { label: { 'zh-CN': '更换平台标志', en: 'Platform logo changed' }, staffOnly: true },
  'platform.secret_rotated': { label: { 'zh-CN': '更换平台密钥', en: 'Platform secret rotated' }, staffOnly: true },
  'platform.updated': { label: { 'zh-CN': '修改平台地址', en: 'Platform addresses changed' }, staffOnly: true },

  'review.approved': { label: { 'zh-CN': '证件照片审核通过', en: 'ID photos approved' }, personal: true },
  'review.claimed': { label: { 'zh-CN': '客服领取照片审核', en: 'Photo review claimed' }, staffOnly: true },
  'review.objection_claimed': { label: { 'zh-CN': '客服领取异议审核', en: 'Objection case claimed' }, staffOnly: true },
  'review.objection_viewed': { label: { 'zh-CN': '客服查看异议案件', en: 'Objection case viewed by staff' }, staffOnly: true },
  'review.objection_overruled': {
    label: { 'zh-CN': '客服审核异议：维持同学协助验证', en: 'Objection overruled: the classmates’ verification stands' },
    personal: true,
  },
  'review.objection_sustained': {
    label: { 'zh-CN': '客服审核异议：同学协助验证不予通过', en: 'Objection upheld: the classmates’ verification refused' },
    personal: true,
  },
  'review.photo_viewed': { label: { 'zh-CN': '客服查看证件照片', en: 'ID photo viewed by staff' }, staffOnly: true },
  'review.rejected': { label: { 'zh-CN': '证件照片审核未通过', en: 'ID photos rejected' }, personal: true },

  'session.ended': { label: { 'zh-CN': '退出登录', en: 'Signed out' }, personal: true },
  'session.password_confirm_failed': { label: { 'zh-CN': '确认密码失败', en: 'Wrong password when confirming' }, personal: true, warning: true },
  'session.reauthenticated': { label: { 'zh-CN': '确认密码', en: 'Password confirmed' }, personal: true },
  'session.revoked': { label: { 'zh-CN': '下线一台设备', en: 'A device signed out' }, personal: true },
  'session.revoked_others': { label: { 'zh-CN': '下线其他所有设备', en: 'Other devices signed out' }, personal: true },
  'session.sign_in_code_requested': { label: { 'zh-CN': '获取登录校验码', en: 'Sign-in code requested' }, personal: true },
  'session.sign_in_failed': { label: { 'zh-CN': '登录失败（密码错误）', en: 'Failed sign-in (wrong password)' }, personal: true, warning: true },
  'session.sms_sign_in_failed': { label: { 'zh-CN': '登录失败（手机校验码错误）', en: 'Failed sign-in (wrong SMS code)' }, personal: true, warning: true },
  'session.started': { label: { 'zh-CN': '登录', en: 'Signed in' }, personal: true },

  'social.alipay_bound': { label: { 'zh-CN': '绑定支付宝', en: 'Alipay bound' }, personal: true },
  'social.alipay_unbound': { label: { 'zh-CN': '解除支付宝绑定', en: 'Alipay unbound' }, personal: true },
  'social.bind_refused': {
    label: { 'zh-CN': '绑定微信或支付宝被拒绝（已绑定其他帐号）', en: 'WeChat or Alipay binding refused (bound to another account)' },
    personal: true,
    warning: true,
  },
  'social.released': { label: { 'zh-CN': '帐号注销，微信和支付宝绑定已解除', en: 'Deregistered: WeChat and Alipay bindings released' }, personal: true },
  'social.sign_in_refused': {
    label: { 'zh-CN': '扫码登录被拒绝（帐号不可用）', en: 'Scan sign-in refused (account unavailable)' },
    personal: true,
    warning: true,
  },
  'social.wechat_bound': { label: { 'zh-CN': '绑定微信', en: 'WeChat bound' }, personal: true },
  'social.wechat_unbound': { label: { 'zh-CN': '解除微信绑定', en: 'WeChat unbound' }, personal: true },

  'sso.consent_withdrawn': { label: { 'zh-CN': '取消平台授权', en: 'Withdrew a platform’s consent' }, personal: true },
  'sso.consented': { label: { 'zh-CN': '授权平台', en: 'Consented to a platform' }, personal: true },
  'sso.signed_in': { label: { 'zh-CN': '登录平台', en: 'Signed in to a platform' }, personal: true },

  'staff.account_lookup': { label: { 'zh-CN': '查询帐号', en: 'Looked up accounts' }, staffOnly: true },
  'staff.account_viewed': { label: { 'zh-CN': '客服查看帐号', en: 'Viewed by staff' }, staffOnly: true },
  'staff.created': { label: { 'zh-CN': '创建客服帐号', en: 'Staff account created' }, staffOnly: true },
  'staff.field_revealed': { label: { 'zh-CN': '客服查看完整信息', en: 'Full value revealed to staff' }, staffOnly: true },
  'staff.forbidden': { label: { 'zh-CN': '越权访问被拒绝', en: 'Refused: outside their role' }, staffOnly: true },
  'staff.password_accepted': { label: { 'zh-CN': '客服密码验证通过', en: 'Staff password accepted' }, staffOnly: true },
  'staff.password_changed': { label: { 'zh-CN': '修改客服密码', en: 'Staff password changed' }, staffOnly: true },
  'staff.password_reset': { label: { 'zh-CN': '重置客服密码', en: 'Staff password reset' }, staffOnly: true },
  'staff.restored': { label: { 'zh-CN': '恢复客服帐号', en: 'Staff account restored' }, staffOnly: true },
  'staff.roles_changed': { label: { 'zh-CN': '修改客服角色', en: 'Staff roles changed' }, staffOnly: true },
  'staff.second_factor_failed': { label: { 'zh-CN': '动态口令错误', en: 'Wrong authenticator code' }, staffOnly: true },
  'staff.sign_in_failed': { label: { 'zh-CN': '客服登录失败', en: 'Staff sign-in failed' }, staffOnly: true },
  'staff.signed_in': { label: { 'zh-CN': '客服登录', en: 'Signed in' }, staffOnly: true },
  'staff.signed_out': { label: { 'zh-CN': '客服退出', en: 'Signed out' }, staffOnly: true },
  'staff.suspended': { label: { 'zh-CN': '停用客服帐号', en: 'Staff account suspended' }, staffOnly: true },
  'staff.totp_enrolled': { label: { 'zh-CN': '绑定动态口令', en: 'Authenticator enrolled' }, staffOnly: true },
  'staff.totp_reset': { label: { 'zh-CN': '重置动态口令', en: 'Authenticator reset' }, staffOnly: true },
  'support.claimed': { label: { 'zh-CN': '客服领取工单', en: 'Support request claimed' }, staffOnly: true },
  'support.closed': { label: { 'zh-CN': '客服工单已关闭', en: 'Support request closed' }, personal: true },
  'support.closed_by_staff': { label: { 'zh-CN': '客服关闭工单', en: 'Support request closed by staff' }, personal: true },
  'support.filed': { label: { 'zh-CN': '提交客服工单', en: 'Support request filed' }, personal: true },
  'support.filed_anonymously': { label: { 'zh-CN': '未登录提交客服工单', en: 'Support request filed without signing in' }, staffOnly: true },
  'support.image_viewed': { label: { 'zh-CN': '客服查看工单图片', en: 'Support request image viewed by staff' }, staffOnly: true },
  'support.person_replied': { label: { 'zh-CN': '补充客服工单', en: 'Support request: reply added' }, personal: true },
  'support.request_removed': {
    label: { 'zh-CN': '未登录提交的工单按保留期限删除', en: 'Support request filed without signing in removed (retention period)' },
    staffOnly: true,
  },
  'support.replied': { label: { 'zh-CN': '客服回复工单', en: 'Support request answered by staff' }, personal: true },
  'support.viewed': { label: { 'zh-CN': '客服查看工单', en: 'Support request viewed by staff' }, staffOnly: true },
} satisfies Record<string, AuditActionInfo>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

const table: Record<string, AuditActionInfo> = AUDIT_ACTIONS;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(table, action);
}

/** The action's label in the reader's language; a name no longer in the table (older rows) shows as written. */
export function auditLabel(action: string, lang: Lang): string {
  return isAuditAction(action) ? table[action]!.label[lang] : action;
}

/** What a person's own 安全记录 may show. */
export const PERSONAL_AUDIT_ACTIONS: readonly AuditAction[] = (Object.keys(table) as AuditAction[]).filter((action) => table[action]!.personal);

export function auditInfo(action: string): AuditActionInfo | undefined {
  return isAuditAction(action) ? table[action] : undefined;
}
