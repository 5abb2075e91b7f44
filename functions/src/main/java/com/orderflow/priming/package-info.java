/**
 * SnapStart priming: a CRaC resource per handler runs what the handler offers ({@link com.orderflow.priming.PrimedHandler}:
 * its events, the answers its SDK calls get) before the snapshot, keeps every primed call off the network, and lets
 * the handler renew per-environment state after a restore. It knows no handler.
 */
package com.orderflow.priming;
