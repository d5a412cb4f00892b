// Names both sides of a Baton TLS connection agree on.

/**
 * The DNS name every coordinator certificate carries and every Baton client checks, whatever
 * address it dialled (Swarm's fixed "swarm-manager"): a chain from the cluster CA to a certificate
 * with this name is the coordinator, so agents and the CLI can use any address that reaches it.
 */
export const COORDINATOR_TLS_NAME = 'coordinator.baton';

/** Certificate subject organisation of everything the cluster CA issues. */
export const CERT_ORGANISATION = 'baton';

/** What a certificate is for: its subject OU. */
export const CERT_ROLES = ['node', 'admin', 'viewer', 'coordinator'] as const;
export type CertRole = (typeof CERT_ROLES)[number];
export type OperatorRole = 'admin' | 'viewer';

export function isOperatorRole(v: string): v is OperatorRole {
  return v === 'admin' || v === 'viewer';
}
