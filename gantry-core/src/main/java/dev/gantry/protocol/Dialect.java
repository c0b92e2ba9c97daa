package dev.gantry.protocol;

/** The API family a client speaks; decides the shape of errors and of stream events it is sent. */
public enum Dialect { OPENAI, ANTHROPIC }
