package dev.arbor.query.account;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.arbor.api.account.AccountView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An account with its children nested, as {@code /tree} answers: the account's fields plus {@code children}. */
record TreeNode(@JsonUnwrapped AccountView account, List<TreeNode> children) {

    /** Nests {@code descendants} (breadth-first, as the read model lists them) under {@code top}. */
    static TreeNode of(AccountView top, List<AccountView> descendants) {
        Map<UUID, TreeNode> nodes = new HashMap<>();
        TreeNode root = new TreeNode(top, new ArrayList<>());
        nodes.put(top.id(), root);
        for (AccountView account : descendants) {
            TreeNode node = new TreeNode(account, new ArrayList<>());
            nodes.put(account.id(), node);
            nodes.get(account.parentId()).children().add(node);
        }
        return root;
    }
}
