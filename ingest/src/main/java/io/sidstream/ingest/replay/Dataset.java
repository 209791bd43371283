package io.sidstream.ingest.replay;

import java.util.List;
import java.util.Map;

/** A dataset as read: items by id (in file order) and interactions (in file order). */
public record Dataset(Map<String, Item> items, List<Interaction> interactions) {}
