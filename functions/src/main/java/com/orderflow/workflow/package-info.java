/** The JSON shapes the state machine passes to and from each workflow Lambda, and their input checks. */
package com.orderflow.workflow;
