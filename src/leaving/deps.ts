// What 注销帐号 by the person needs: the account services, and the operator's two periods.
import type { AccountDeps } from '../accounts/deps.ts';

export interface LeavingSettings {
  /** SELF_DEREGISTRATION_COOLING_OFF_DAYS, in ms. */
  coolingOffMs: number;
  /** DEREGISTERED_RETENTION_DAYS, in ms. */
  retentionMs: number;
}

export interface LeavingDeps extends AccountDeps {
  leaving: LeavingSettings;
}
