package dev.refgateway.orders;

import dev.refgateway.orders.grpc.v1.Order;
import dev.refgateway.orders.grpc.v1.OrderLine;
import dev.refgateway.orders.grpc.v1.OrderStatus;

/** An order as the gRPC API sends it: the HTTP API's fields ({@link OrderJson}), money and times as strings. */
final class OrderProtos {

    private OrderProtos() {
    }

    static Order of(dev.refgateway.orders.Order order) {
        OrderJson json = OrderJson.of(order);
        Order.Builder proto = Order.newBuilder()
                .setId(json.id())
                .setUserId(json.userId())
                .setStatus(OrderStatus.valueOf(json.status().name()))
                .setTotal(json.total())
                .setCreatedAt(json.createdAt().toString())
                .setUpdatedAt(json.updatedAt().toString());
        for (OrderJson.Item item : json.items()) {
            proto.addItems(OrderLine.newBuilder()
                                   .setSku(item.sku())
                                   .setQuantity(item.quantity())
                                   .setUnitPrice(item.unitPrice())
                                   .setLineTotal(item.lineTotal()));
        }
        return proto.build();
    }
}
