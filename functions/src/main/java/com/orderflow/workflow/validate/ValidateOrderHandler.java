package com.orderflow.workflow.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.OrderValidator;
import com.orderflow.order.ProductCatalog;
import com.orderflow.order.ValidationResult;
import com.orderflow.priming.Priming;
import com.orderflow.priming.PrimingSamples;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;

/** ValidateOrder: applies the business rules; an invalid order is a result ({@code valid: false}), not an error. */
public final class ValidateOrderHandler implements RequestHandler<OrderInput, ValidationResult> {

    private final OrderValidator validator;

    public ValidateOrderHandler() {
        this(new OrderValidator(ProductCatalog.standard()));
    }

    public ValidateOrderHandler(OrderValidator validator) {
        this.validator = validator;
        Priming.register(this, PrimingSamples.VALIDATE_ORDER);
    }

    @Override
    public ValidationResult handleRequest(OrderInput input, Context context) {
        var order = InvalidStepInputException.require(input, "order").requireOrder();
        return validator.validate(order);
    }
}
