package dev.mlops.core.views;

import java.util.List;

/**
 * A view the platform defines for analysts: its name, the tables it reads, and its SQL.
 *
 * @param name the view, {@code db.view}
 * @param sources the tables the view reads; the view is created only when they all exist
 * @param sql the query
 */
public record AnalystView(String name, List<String> sources, String sql) {}
