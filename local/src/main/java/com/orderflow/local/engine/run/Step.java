package com.orderflow.local.engine.run;

import com.fasterxml.jackson.databind.JsonNode;

/** A state's outcome: the next state (null at the end of a graph) and the state output. */
record Step(String next, JsonNode output) {
}
