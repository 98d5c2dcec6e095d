package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.problem.Refusal;

/**
 * One step of a request's way through the gateway. A stage does its part and says whether the request goes on
 * ({@link Verdict#NEXT}), is refused ({@link Verdict.Refused}: the pipeline renders the problem), or has been answered
 * by the stage itself ({@link Verdict.Answered}: a CORS preflight, a relayed answer).
 */
interface Stage {

    /** Does this stage's part of the request. */
    Verdict apply(Exchange exchange);

    /** What a stage decided. */
    sealed interface Verdict {
        /** On to the next stage. */
        Verdict NEXT = new Next();

        /** On to the next stage. */
        record Next() implements Verdict {
        }

        /** Refused here: the pipeline answers with the problem. */
        record Refused(Refusal refusal) implements Verdict {
        }

        /** Answered here; {@code outcome} is the label of metrics and the access log. */
        record Answered(String outcome) implements Verdict {
        }

        static Verdict refuse(Refusal refusal) {
            return new Refused(refusal);
        }

        static Verdict answered(String outcome) {
            return new Answered(outcome);
        }
    }
}
