// Retention: what the console shows of evidence erased after its retention period.
export const retention = {
  'retention.evidence': '核验材料',
  'retention.photo_review': '照片审核（{state}），提交于 {date}',
  'retention.liveness': '实人验证（{state}），{date}',
  'retention.review_state.pending': '待审核',
  'retention.review_state.approved': '已通过',
  'retention.review_state.rejected': '未通过',
  'retention.review_state.closed': '已关闭',
  'retention.liveness_state.pending': '进行中',
  'retention.liveness_state.passed': '通过',
  'retention.liveness_state.failed': '未通过',
  'retention.erased': '已删除（{date}，按保留期限、本人撤回或帐号注销后删除）',
  'retention.photos_kept': '照片保留中',
  'retention.result_kept': '结果保留中',
  'retention.none': '无',
  'retention.photo_erased': '该照片已按保留期限删除。',
};
