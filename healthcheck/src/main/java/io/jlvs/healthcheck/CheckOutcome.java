package io.jlvs.healthcheck;

/**
 * What one attempt of a checker found: passed or failed, why, and, for a {@code MISC_CHECK} with
 * {@code misc_dynamic}, the weight its exit status asks for.
 *
 * @param passed whether the attempt passed.
 * @param weight the weight the server should take from now on, or {@link #WEIGHT_UNCHANGED}.
 * @param detail a short human explanation ("connection refused", "status 503"), for logs.
 */
public record CheckOutcome(boolean passed, int weight, String detail)
{
    /** The attempt says nothing about the weight (every checker but a dynamic MISC_CHECK). */
    public static final int WEIGHT_UNCHANGED = -1;

    private static final CheckOutcome PASSED = new CheckOutcome(true, WEIGHT_UNCHANGED, "passed");

    public CheckOutcome
    {
        if (weight < WEIGHT_UNCHANGED)
        {
            throw new IllegalArgumentException("weight must be >= 0 or WEIGHT_UNCHANGED, weight=" + weight);
        }
        if (!passed && weight != WEIGHT_UNCHANGED)
        {
            throw new IllegalArgumentException("a failed attempt carries no weight, weight=" + weight);
        }
    }

    public static CheckOutcome pass()
    {
        return PASSED;
    }

    /** A pass that also sets the server's weight (a dynamic MISC_CHECK's exit status 2..255). */
    public static CheckOutcome passWithWeight(final int weight, final String detail)
    {
        return new CheckOutcome(true, weight, detail);
    }

    public static CheckOutcome fail(final String detail)
    {
        return new CheckOutcome(false, WEIGHT_UNCHANGED, detail);
    }

    /** Whether this attempt sets the server's weight. */
    public boolean setsWeight()
    {
        return weight != WEIGHT_UNCHANGED;
    }
}
