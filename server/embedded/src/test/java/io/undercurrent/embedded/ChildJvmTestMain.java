package io.undercurrent.embedded;

import java.util.concurrent.CountDownLatch;

/**
 * The process {@link ChildJvmIT} starts. With argument {@code exit <code>} it prints a line and
 * exits; otherwise it reports ready and blocks until it is signalled.
 */
public final class ChildJvmTestMain {

    private ChildJvmTestMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 2 && args[0].equals("exit")) {
            System.out.println("exiting on request");
            System.exit(Integer.parseInt(args[1]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.out.println("child ready pid=" + ProcessHandle.current().pid());
        new CountDownLatch(1).await();
    }
}
