package dev.gantry.bench;

/**
 * One side of a comparison within a scenario: a request sent to a target, named as the report
 * shows it ("direct", "Gantry", "Gantry, 2 deployments").
 */
record Leg(String label, Target target, Request request) {}
