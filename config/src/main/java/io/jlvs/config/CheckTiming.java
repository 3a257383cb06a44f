package io.jlvs.config;

/**
 * When a checker runs and when a failing server is declared down, in keepalived's terms.
 *
 * @param retry              how many more failed attempts follow the first failure before the server is declared
 *                           down ({@code retry}, or its old name {@code nb_get_retry}); 0 = the first failure does.
 * @param delayBeforeRetryMs pause between those attempts ({@code delay_before_retry}).
 * @param delayLoopMs        interval between checks of a healthy server ({@code delay_loop}).
 * @param warmupMs           upper bound of the random delay before the first check ({@code warmup}); 0 = none.
 * @param alpha              the server starts as failed and must pass once before it takes traffic ({@code alpha}).
 */
public record CheckTiming(int retry, long delayBeforeRetryMs, long delayLoopMs, long warmupMs, boolean alpha)
{
}
