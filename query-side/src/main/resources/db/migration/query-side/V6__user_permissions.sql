-- The permissions a user holds (see dev.arbor.api.user.Permission); replayed from PermissionsChanged.
ALTER TABLE read_model.app_user ADD COLUMN permissions TEXT[] NOT NULL DEFAULT '{}';
