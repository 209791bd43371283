package io.sidstream.trainer.eval;

/** One positive (user, item, time) interaction, the unit of the offline protocols. */
public record Interaction(String userId, String videoId, long timeMillis) {}
