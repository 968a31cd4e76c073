import type { Request } from "./context.js";

/**
 * One coordinator action, as the audit trail records it.
 *
 * @example
 * await recordAudit(request, { action: "role.change", subject: "Sam Jones", subjectMemberId: sam.id, detail: "champion → coordinator" });
 */
export interface AuditFact {
  action: string;
  subject: string;
  subjectMemberId?: string;
  detail?: string;
}

export async function recordAudit({ ctx, requester }: Pick<Request, "ctx" | "requester">, fact: AuditFact): Promise<void> {
  await ctx.prisma.auditEntry.create({
    data: {
      networkId: ctx.networkId,
      actorId: requester.member?.id ?? null,
      actorName: requester.member?.displayName ?? requester.address.displayName ?? `${requester.address.platform} user ${requester.address.userId}`,
      action: fact.action,
      subject: fact.subject,
      subjectMemberId: fact.subjectMemberId ?? null,
      detail: fact.detail ?? null,
      createdAt: ctx.now(),
    },
  });
}
