/**
 * An offline Gemini API for tests, demos and other people's pipelines: {@link
 * dev.gkr.sim.Simulator} speaks the REST wire format on 127.0.0.1 with configurable keys ({@link
 * dev.gkr.sim.KeyBehavior}), project quotas ({@link dev.gkr.sim.Quota}) and faults ({@link
 * dev.gkr.sim.Fault}); every request is logged as a {@link dev.gkr.sim.SimRequest} with the key
 * masked. Thread-safe.
 */
package dev.gkr.sim;
