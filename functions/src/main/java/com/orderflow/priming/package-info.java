/**
 * SnapStart priming: each handler registers a CRaC resource that runs its request path on safe sample events
 * before the snapshot and renews per-environment state after a restore.
 */
package com.orderflow.priming;
