package com.orderflow.workflow.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.OrderValidator;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.ProductCatalog;
import com.orderflow.order.ValidationResult;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;

import java.util.List;

/** ValidateOrder: applies the business rules; an invalid order is a result ({@code valid: false}), not an error. */
public final class ValidateOrderHandler implements RequestHandler<OrderInput, ValidationResult>, PrimedHandler {

    private final OrderValidator validator;

    public ValidateOrderHandler() {
        this(new OrderValidator(ProductCatalog.standard()));
    }

    public ValidateOrderHandler(OrderValidator validator) {
        this.validator = validator;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"order\":" + PrimingOrders.COMPLETING + "}",
                "{\"order\":" + PrimingOrders.INVALID + "}");
    }

    @Override
    public ValidationResult handleRequest(OrderInput input, Context context) {
        var order = InvalidStepInputException.require(input, "order").requireOrder();
        return validator.validate(order);
    }
}
