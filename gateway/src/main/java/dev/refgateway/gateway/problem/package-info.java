/**
 * RFC 9457 problem details: every answer the gateway gives itself has a stable {@code type} from
 * {@link dev.refgateway.gateway.problem.GatewayProblem}, is a {@link dev.refgateway.gateway.problem.Refusal} on its way
 * and is written by {@link dev.refgateway.gateway.problem.ProblemResponses}, through
 * {@link dev.refgateway.gateway.problem.JsonText}: the gateway's one rule for JSON it writes itself, which the access
 * log uses too. Uses nothing of the gateway.
 */
package dev.refgateway.gateway.problem;
